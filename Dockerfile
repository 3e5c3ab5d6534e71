# The image for every syndicate service in compose.yaml (worker, publisher, server).
FROM python:3.11-slim

# argostranslate depends on stanza -> torch. PyPI's x86_64 torch wheel is a CUDA build of
# several GB; to get the CPU build, pass PyTorch's CPU wheel index as a build argument:
#   docker compose build --build-arg PIP_EXTRA_INDEX_URL=<PyTorch CPU wheel index>
ARG PIP_EXTRA_INDEX_URL=""
ARG TORCH_SPEC="torch==2.13.0"
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1 PYTHONUNBUFFERED=1

WORKDIR /app
RUN pip install "${TORCH_SPEC}"
COPY pyproject.toml README.md ./
COPY syndicate ./syndicate
COPY workers ./workers
COPY feeds ./feeds
RUN pip install .

RUN useradd --create-home --uid 10001 syndicate && mkdir -p /data && chown syndicate /data
USER syndicate
ENV SYNDICATE_DATA_DIR=/data
ENTRYPOINT ["syndicate"]
CMD ["--help"]
