"""A JupyterHub for a backprop-lab course: one Unix user per student, nbgrader's exchange between them.

Run as root: `jupyterhub -f examples/jupyterhub_config.py`. Each user logs in with the shared password and
gets their own JupyterLab (with nbgrader's Assignments, Validate and, for the instructor, Formgrader),
started under their own uid by the local-process spawner. The course itself is set up outside the hub:
- every user reads `$BACKPROP_HUB_CONFIG_PATH/nbgrader_config.py` (the course id and the exchange folder,
  mode 1777, as nbgrader's docs ask);
- the instructor's ~/.jupyter/nbgrader_config.py names their course folder (`CourseDirectory.root`).
The test suite starts exactly this hub (tests/hub_setup.py), with every setting below given through the
environment; on a real hub set them in the hub's service file or edit the defaults.

  BACKPROP_HUB_VENV          the venv with jupyterhub, jupyterlab, nbgrader and backprop-lab; every user
                             must be able to run its Python (default: the one running the hub)
  BACKPROP_HUB_STATE         the hub's own files: database, cookie secret, proxy pid (default: /srv/jupyterhub)
  BACKPROP_HUB_CONFIG_PATH   folder with the nbgrader_config.py every user reads (default: /etc/jupyter)
  BACKPROP_HUB_INSTRUCTOR    the instructor's user name
  BACKPROP_HUB_STUDENTS      the students' user names, separated by commas
  BACKPROP_HUB_PASSWORD      the shared password, at least 8 characters
  BACKPROP_HUB_URL           where the hub listens (default: http://127.0.0.1:8000)
  BACKPROP_HUB_INTERNAL_PORT the hub's API port, BACKPROP_HUB_PROXY_API_PORT the proxy's (defaults 8081, 8001)
  BACKPROP_HUB_PROXY         the configurable-http-proxy command (default: found on PATH)
"""
import json
import os
import sys

c = get_config()  # noqa: F821  (provided by JupyterHub when it loads this file)

venv = os.environ.get("BACKPROP_HUB_VENV", sys.prefix)
state = os.environ.get("BACKPROP_HUB_STATE", "/srv/jupyterhub")
instructor = os.environ["BACKPROP_HUB_INSTRUCTOR"]
students = [name for name in os.environ["BACKPROP_HUB_STUDENTS"].split(",") if name]

c.JupyterHub.bind_url = os.environ.get("BACKPROP_HUB_URL", "http://127.0.0.1:8000")
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = int(os.environ.get("BACKPROP_HUB_INTERNAL_PORT", "8081"))
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{os.environ.get('BACKPROP_HUB_PROXY_API_PORT', '8001')}"
c.ConfigurableHTTPProxy.command = [os.environ.get("BACKPROP_HUB_PROXY", "configurable-http-proxy")]
c.ConfigurableHTTPProxy.pid_file = os.path.join(state, "proxy.pid")
c.JupyterHub.db_url = f"sqlite:///{os.path.join(state, 'jupyterhub.sqlite')}"
c.JupyterHub.cookie_secret_file = os.path.join(state, "jupyterhub_cookie_secret")
c.JupyterHub.cleanup_servers = True  # stopping the hub stops every user's server and its kernels

c.JupyterHub.authenticator_class = "shared-password"
c.SharedPasswordAuthenticator.user_password = os.environ["BACKPROP_HUB_PASSWORD"]
c.Authenticator.allowed_users = {instructor, *students}

c.JupyterHub.spawner_class = "localprocess"  # each server runs as its user, in their home folder
c.Spawner.cmd = [os.path.join(venv, "bin", "jupyterhub-singleuser")]
c.Spawner.default_url = "/lab"
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 120
c.Spawner.environment = {
    "JUPYTER_CONFIG_PATH": os.environ.get("BACKPROP_HUB_CONFIG_PATH", "/etc/jupyter"),
    "PATH": os.path.join(venv, "bin") + ":/usr/local/bin:/usr/bin:/bin",  # `nbgrader`, `python` in terminals
}

# Students see Assignments and Validate, not the instructor's tools: a config folder that only students'
# servers read turns those off. The instructor's Formgrader is shown inside the Lab, which needs their
# server to allow framing itself (nbgrader's docs).
student_config = os.path.join(state, "student-config")
os.makedirs(os.path.join(student_config, "labconfig"), exist_ok=True)
with open(os.path.join(student_config, "labconfig", "page_config.json"), "w") as handle:
    json.dump({"disabledExtensions": {"@jupyter/nbgrader:formgrader": True, "@jupyter/nbgrader:create-assignment": True,
                                      "@jupyter/nbgrader:course-list": True}}, handle)
with open(os.path.join(student_config, "jupyter_server_config.json"), "w") as handle:
    json.dump({"ServerApp": {"jpserver_extensions": {"nbgrader.server_extensions.formgrader": False,
                                                     "nbgrader.server_extensions.course_list": False}}}, handle)
os.chmod(state, 0o755)  # students' servers read student-config/ (the hub's own files stay root's)


def per_user(spawner):
    if spawner.user.name == instructor:
        spawner.args = [*spawner.args, "--ServerApp.tornado_settings="
                        + json.dumps({"headers": {"Content-Security-Policy": "frame-ancestors 'self'"}})]
    else:
        config_path = spawner.environment["JUPYTER_CONFIG_PATH"]
        spawner.environment = {**spawner.environment, "JUPYTER_CONFIG_PATH": f"{student_config}:{config_path}"}


c.Spawner.pre_spawn_hook = per_user
