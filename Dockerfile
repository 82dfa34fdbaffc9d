# syntax=docker/dockerfile:1.7
# One image for every Healthbook process of the distributed mode:
#   docker run IMAGE serve router|identity|doctors|appointments|notifications|worker|scheduler
#   docker run IMAGE migrate
# The supergraph is committed (schema/supergraph.graphql); the image keeps it at
# /app/schema/supergraph.graphql (`serve router --supergraph ...`). Node is only a build stage:
# it builds the web app (web/) and copies GraphiQL's assets, both served by the router.
ARG PYTHON_IMAGE=python:3.11-slim-bookworm
ARG NODE_IMAGE=node:20-bookworm-slim
ARG UV_VERSION=0.13.9

# ---- web: the reference SPA (Vite build) and GraphiQL's assets, from the committed lockfiles
FROM ${NODE_IMAGE} AS web
WORKDIR /src
COPY schema/package.json schema/package-lock.json schema/
RUN cd schema && npm ci --no-audit --no-fund --loglevel=error
COPY web/package.json web/package-lock.json web/
RUN cd web && npm ci --no-audit --no-fund --loglevel=error
COPY scripts/vendor-graphiql.sh scripts/
COPY web web
RUN bash scripts/vendor-graphiql.sh && cd web && npm run build

# ---- builder: a virtual environment with the locked runtime dependencies and the project
FROM ${PYTHON_IMAGE} AS builder
ARG UV_VERSION
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    UV_NO_CACHE=1
RUN pip install "uv==${UV_VERSION}" && uv venv /opt/venv
WORKDIR /src
# Dependencies first (their layer is reused until the lock changes). The lock pins runtime
# and dev tools together; the runtime set is resolved from pyproject.toml constrained to it,
# so every version is the locked one and no test or lint tool reaches the image.
COPY pyproject.toml requirements.lock ./
RUN uv pip compile pyproject.toml --constraint requirements.lock --python-version 3.11 \
        --quiet --output-file /tmp/runtime.txt \
    && uv pip install --python /opt/venv/bin/python --requirement /tmp/runtime.txt
COPY pyproject.toml README.md* ./
COPY healthbook ./healthbook
COPY subgraphs ./subgraphs
COPY router ./router
COPY --from=web /src/router/static/web ./router/static/web
COPY --from=web /src/router/static/vendor ./router/static/vendor
COPY workers ./workers
RUN uv pip install --python /opt/venv/bin/python --no-deps .

# ---- runtime: Python and the virtual environment only, as an unprivileged user
FROM ${PYTHON_IMAGE} AS runtime
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    HEALTHBOOK_HOST=0.0.0.0 \
    HEALTHBOOK_DATA_DIR=/var/lib/healthbook
RUN groupadd --system --gid 10001 healthbook \
    && useradd --system --uid 10001 --gid healthbook --no-create-home \
        --home-dir /var/lib/healthbook --shell /usr/sbin/nologin healthbook \
    && install -d -o healthbook -g healthbook -m 0750 /var/lib/healthbook
COPY --from=builder /opt/venv /opt/venv
COPY --chmod=0755 deploy/healthcheck.py /usr/local/bin/healthbook-healthcheck
WORKDIR /app
COPY schema/supergraph.graphql schema/supergraph.graphql
USER 10001:10001
EXPOSE 4000 4001 4002 4003 4004
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "/usr/local/bin/healthbook-healthcheck"]
ENTRYPOINT ["healthbook"]
CMD ["serve", "router", "--supergraph", "/app/schema/supergraph.graphql"]
