#!/usr/bin/env bash
# Install dengar in .venv and run its main job on the embedded default: import the bundled
# sample archives (all six channels) into a SQLite file and print the merged tickets.
# Safe to run again: re-importing adds nothing.
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
echo "==> installing dengar"
PIP_DISABLE_PIP_VERSION_CHECK=1 python -m pip install -q -e .

export DENGAR_DATABASE_URL="${DENGAR_DATABASE_URL:-sqlite:///dengar.db}"
echo "==> dengar import samples/*/   (database: $DENGAR_DATABASE_URL)"
dengar import samples/*/
echo
echo "==> dengar tickets --members"
dengar tickets --members --limit 15
echo
echo "Next: 'dengar tickets --all', 'dengar export mentions --format csv -o mentions.csv', 'dengar --help'."
echo "(activate the environment first: . .venv/bin/activate)"
