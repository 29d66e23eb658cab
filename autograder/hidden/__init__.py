"""What students never see: the reference implementation, the known mistakes, the course's solution cells.

Takes a course's source notebooks; gives trusted objects to run on the grader's inputs, and mistaken
ones to name a student's mistake.
"""
