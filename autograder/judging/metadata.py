"""nbgrader's cell-metadata check, with each distinct cell checked against the schema once per process.

nbgrader validates every nbgrader cell of every notebook twice per autograde with `jsonschema.validate`,
which checks the schema itself again at each call: half a second of one core per student, for metadata
that is the same, cell for cell, in every student's notebook. A cell's check depends only on its type
and its nbgrader metadata, so a pair that passed once passes again; one that fails is checked (and
reported, with its source) every time, exactly as nbgrader does.
"""
import json
import traceback

from nbgrader.nbgraderformat import MetadataValidator, ValidationError
from nbgrader.preprocessors import NbGraderPreprocessor

PASSED = set()  # (cell type, nbgrader metadata as JSON) that passed validate_cell in this process


class KnownCellsValidator(MetadataValidator):
    def validate_cell(self, cell):
        key = (cell.cell_type, json.dumps(cell.metadata.get("nbgrader"), sort_keys=True))
        if key not in PASSED:
            super().validate_cell(cell)
            PASSED.add(key)


class CheckCellMetadata(NbGraderPreprocessor):
    """nbgrader.preprocessors.CheckCellMetadata, with KnownCellsValidator."""

    def preprocess(self, nb, resources):
        try:
            KnownCellsValidator().validate_nb(nb)
        except ValidationError:
            self.log.error(traceback.format_exc())
            msg = "Notebook failed to validate; the nbgrader metadata may be corrupted."
            self.log.error(msg)
            raise ValidationError(msg)
        return nb, resources
