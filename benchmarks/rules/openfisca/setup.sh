#!/usr/bin/env bash
# Create benchmarks/.venv-openfisca: openfisca-core (AGPL) lives only here, never in niangjia's venv.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
VENV="${OPENFISCA_VENV:-$HERE/../../.venv-openfisca}"
VERSION="${OPENFISCA_CORE_VERSION:-44.2.2}"
PY="${PYTHON:-python3}"
if [ ! -x "$VENV/bin/python" ]; then
  "$PY" -m venv "$VENV"
fi
"$VENV/bin/pip" install --quiet --upgrade pip
"$VENV/bin/pip" install --quiet "openfisca-core==$VERSION" polars pyarrow
"$VENV/bin/python" -c "import openfisca_core, numpy, polars; print('openfisca-core', '$VERSION', 'numpy', numpy.__version__, 'polars', polars.__version__)"
