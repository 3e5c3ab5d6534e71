# The image for every syndicate service in compose.yaml (worker, publisher, server).
FROM python:3.11-slim

# The lean runtime, as ./dev installs it: uv installs the project without stanza, spaCy and
# MiniSBD (deploy/lean-excludes.txt says why), so neither torch nor onnxruntime lands in the
# image. uv itself is removed once it has installed the project.
ARG UV_SPEC="uv>=0.13,<1"
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1 UV_NO_CACHE=1 PYTHONUNBUFFERED=1

WORKDIR /app
COPY pyproject.toml README.md ./
COPY deploy/lean-excludes.txt ./deploy/
COPY syndicate ./syndicate
COPY workers ./workers
COPY feeds ./feeds
RUN pip install "${UV_SPEC}" \
    && uv pip install --system --excludes deploy/lean-excludes.txt . \
    && pip uninstall -y uv

RUN useradd --create-home --uid 10001 syndicate && mkdir -p /data && chown syndicate /data
USER syndicate
ENV SYNDICATE_DATA_DIR=/data
ENTRYPOINT ["syndicate"]
CMD ["--help"]
