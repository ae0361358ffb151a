#!/usr/bin/env bash
# Installs what `make test` and `make demo` need on Debian 12, idempotently.
# Debian packages: QGIS, PyQGIS, PostgreSQL 15 + PostGIS 3, Xvfb, Qt translation tools, Qt's own
# zh_CN catalogue (qttranslations5-l10n: Chinese file dialogs and OK/Cancel where QGIS loads none).
# Python packages QGIS does not bring: a venv made with --system-site-packages on Debian's
# /usr/bin/python3 so that it sees PyQGIS, with numpy<2 pinned (see constraints.txt).
set -euo pipefail
cd "$(dirname "$0")/.."
SUDO=""
if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi

DEBS="qgis python3-qgis qgis-providers postgresql-15 postgresql-15-postgis-3 postgresql-client-15
      xvfb xauth python3-venv python3-pip python3-psycopg2 python3-requests python3-scipy
      qttools5-dev-tools pyqt5-dev-tools zip unzip make fonts-wqy-microhei qttranslations5-l10n poppler-utils
      postgresql-15-cron ${EXTRA_DEBS:-}"
missing=""
for p in $DEBS; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
  echo "bootstrap: installing Debian packages:$missing"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing
fi

VENV=.venv
if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c "import qgis.core" 2>/dev/null; then
  rm -rf "$VENV"
  /usr/bin/python3 -m venv --system-site-packages "$VENV"
fi
stamp="$VENV/.requirements.sha"
want=$(cat requirements.txt requirements-dev.txt constraints.txt | sha256sum | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  echo "bootstrap: installing Python packages into $VENV"
  "$VENV/bin/pip" install -q --disable-pip-version-check -c constraints.txt -r requirements-dev.txt
  echo "$want" > "$stamp"
fi
