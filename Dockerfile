# The grader in a container, for instructors on macOS, Windows or any Linux (docs/design.md,
# "Where it grades"; README, "Grading in a container").  Build once per course release:
#
#     docker build -t nn-course .
#
# then grade a folder of submissions (submitted/STUDENT/ASSIGNMENT/NOTEBOOK.ipynb) with:
#
#     docker run --rm -v "$PWD/submitted:/work/submitted:ro" -v "$PWD/graded:/work/graded" \
#         -v "$PWD/.course_secret:/run/secrets/course_secret:ro" nn-course \
#         a1_activations /work/submitted --out /work/graded/a1_activations --jobs 2
#
# It runs as root inside the container with Docker's default capabilities and seccomp profile:
# the profile forbids namespaces, so the sandbox grades at its `landlock` level (a directory
# of its own entered with chroot, so do not drop CAP_SYS_CHROOT; an unprivileged uid without
# any capability, Landlock from the host's kernel, seccomp), which needs a host kernel with
# Landlock (Linux >= 5.13; Docker Desktop's and WSL 2's kernels qualify where Landlock is
# enabled).  Where the kernel has no Landlock the grader refuses and says so; `--security-opt seccomp=unconfined` then lets it make the namespaces of its
# `namespaces` level instead (student code still runs under the sandbox's own seccomp filter).
# As a Kubernetes Job (JupyterHub on Kubernetes): the same image, command and mounts, with
# `securityContext: {runAsUser: 0}` (or any uid where the cluster allows user namespaces).
FROM python:3.11-slim-bookworm

# The interpreter, its standard library and numpy must be readable by other users (the runs'
# unprivileged uid reads them): true of this image's /usr/local.
WORKDIR /course
COPY pyproject.toml README.md course.yml nbgrader_config.py ./
COPY autograder ./autograder
COPY nn_core ./nn_core
COPY assignments ./assignments
RUN pip install --no-cache-dir --disable-pip-version-check -e . \
    && python -c "import autograder.sandbox, numpy"

ENV NN_COURSE_SECRET_FILE=/run/secrets/course_secret \
    PYTHONDONTWRITEBYTECODE=1
ENTRYPOINT ["python", "-m", "autograder", "grade"]
