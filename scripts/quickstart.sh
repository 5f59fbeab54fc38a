#!/usr/bin/env bash
# Install dengar in .venv and run its main job on the embedded default: `dengar demo` starts local
# stand-ins of X, the feeds, Open311 and Qlue serving the bundled samples over HTTP, runs the daemon
# against them into a SQLite file under ./dengar-demo and serves the console on 127.0.0.1.
# Nothing is fetched from the internet once installed; safe to run again: it adds nothing.
# Arguments go to `dengar demo` (e.g. --once for one pass and a summary, --port 9000).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

if [ ! -x .venv/bin/python ]; then
    if ! python3 -c 'import ensurepip, venv' >/dev/null 2>&1; then
        echo "==> installing python3-venv"
        apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends python3-venv python3-pip
    fi
    python3 -m venv .venv
fi
# shellcheck disable=SC1091
. .venv/bin/activate
# Install once per version of pyproject.toml, so a re-run starts offline.
stamp=.venv/.dengar-installed
wanted="$(sha256sum pyproject.toml | cut -d' ' -f1)"
if [ ! -x .venv/bin/dengar ] || [ "$(cat "$stamp" 2>/dev/null)" != "$wanted" ]; then
    echo "==> installing dengar"
    PIP_DISABLE_PIP_VERSION_CHECK=1 python -m pip install -q -e .
    echo "$wanted" > "$stamp"
fi

echo "==> dengar demo $*"
exec dengar demo "$@"
