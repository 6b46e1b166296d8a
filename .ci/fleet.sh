#!/usr/bin/env bash
# The update path a fleet takes (README "Fleet"), end to end on this machine. Run through
# `./.ci/desk fleet`, which installs the tools first. Needs root: it installs, upgrades and
# removes the `firmly-desk` package with apt.
#
#  1. the .deb of this tree (`tauri build`: cargo reuses target/release when it is current)
#  2. a second .deb one Debian revision higher (V-2), from the same binary (`tauri bundle`
#     with a version override: packaging only, no compile — see "the second package" below)
#  3. a local apt repository holding the first (dpkg-scanpackages, apt-ftparchive release),
#     reached through a `deb [trusted=yes] file:` source in /etc/apt/sources.list.d/
#  4. apt-get install firmly-desk from it
#  5. the installed app, started the way the kiosk unit starts it (kiosk mode, its own HOME,
#     no FIRMLY_DESK_DATA_DIR) under Xvfb, makes its data folder
#     ~/.local/share/ai.firmly.desk itself (store, audit log, logs); the order journal and the
#     audit lines of one settled order are added in the app's own formats
#  6. the second package published; apt-get update && apt-get install --only-upgrade
#  7. the installed version changed, and every file of the data folder is byte for byte (and
#     mode for mode) what it was
#  8. the upgraded app starts on that data
#  9. apt-get remove: the program is gone, the data folder stays; the source and its lists
#     are removed (also when a step fails)
#
# The second package: a fleet's real update is a new release (a higher Cargo.toml version,
# built and bundled). Here the package manager's side is under test (publishing, apt's
# version order, dpkg replacing the files, the data folder left alone), and a second LTO
# build of the same code would cost many minutes of a shared 2-core machine while proving
# nothing more. So the second package holds the same binary, repackaged by the Tauri
# bundler with the version V-2: a Debian revision, which is what a repackaging of one
# upstream version is called, and which dpkg orders above V.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
FLEET=$ROOT/target/fleet
REPO=$FLEET/repo
HOME_DIR=$FLEET/home
DATA=$HOME_DIR/.local/share/ai.firmly.desk
SOURCE=/etc/apt/sources.list.d/firmly-desk-fleet-test.list
TAURI=(env TAURI_APP_PATH="$ROOT" "$ROOT/ui/node_modules/.bin/tauri")

step() { printf '\n==> %s\n' "$*"; }
verified=()
verify() { echo "  ok: $*"; verified+=("$*"); }
die() { echo "FAILED: $*" >&2; exit 1; }

[ "$(id -u)" -eq 0 ] || die "run as root (apt installs, upgrades and removes the package)"
if dpkg -s firmly-desk >/dev/null 2>&1; then
  die "firmly-desk $(dpkg-query -W -f='${Version}' firmly-desk) is installed on this machine: remove it first (apt-get remove firmly-desk)"
fi

V1=$(python3 -c 'import tomllib;print(tomllib.load(open("Cargo.toml","rb"))["package"]["version"])')
V2="$V1-2"
dpkg --compare-versions "$V2" gt "$V1" || die "$V2 does not sort above $V1"

installed=0
APP_PID=
XVFB_PID=
cleanup() {
  local rc=$?
  [ -n "$APP_PID" ] && kill "$APP_PID" 2>/dev/null || true
  [ -n "$XVFB_PID" ] && kill "$XVFB_PID" 2>/dev/null || true
  if [ "$installed" = 1 ] && dpkg -s firmly-desk >/dev/null 2>&1; then
    echo "cleanup: apt-get remove firmly-desk" >&2
    DEBIAN_FRONTEND=noninteractive apt-get remove -y -q firmly-desk >/dev/null || true
  fi
  rm -f "$SOURCE"
  # apt's copies of the repository's index (named after its path).
  rm -f /var/lib/apt/lists/*"$(echo "${REPO#/}" | tr / _)"*
  exit $rc
}
trap cleanup EXIT

# apt-get update of the test source alone: the machine's other sources are not refreshed.
apt_update_local() {
  apt-get update -q -o Dir::Etc::sourcelist="$SOURCE" -o Dir::Etc::sourceparts=- \
    -o APT::Get::List-Cleanup=0
}

publish() {
  (cd "$REPO" && dpkg-scanpackages --multiversion . /dev/null 2>/dev/null >Packages \
    && gzip -9nc Packages >Packages.gz && apt-ftparchive release . >Release)
  echo "  $REPO: $(grep -c '^Package:' "$REPO/Packages") package(s): $(grep '^Version:' "$REPO/Packages" | cut -d' ' -f2 | tr '\n' ' ')"
}

# Starts the installed app as the kiosk unit does, in the test HOME, under a private Xvfb;
# returns once its log says "desk ready" (the Nth time: $1).
start_app() {
  local nth=$1 log=$DATA/logs/firmly-desk.log display_file=$FLEET/display
  rm -f "$display_file"
  Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp 3>"$display_file" 2>/dev/null &
  XVFB_PID=$!
  for _ in $(seq 50); do [ -s "$display_file" ] && break; sleep 0.1; done
  [ -s "$display_file" ] || die "Xvfb did not start"
  env -i PATH=/usr/bin:/bin HOME="$HOME_DIR" DISPLAY=":$(cat "$display_file")" \
    FIRMLY_DESK_MODE=kiosk LANG=C.UTF-8 /usr/bin/firmly-desk >"$FLEET/app-$nth.out" 2>&1 &
  APP_PID=$!
  for _ in $(seq 180); do
    if [ -f "$log" ] && [ "$(grep -c 'desk ready' "$log")" -ge "$nth" ]; then
      sleep 2 # let start-up writes (store, audit) land
      return 0
    fi
    kill -0 "$APP_PID" 2>/dev/null || { cat "$FLEET/app-$nth.out" >&2; die "the app exited"; }
    sleep 0.5
  done
  cat "$FLEET/app-$nth.out" >&2
  die "the app did not report 'desk ready' within 90 s"
}

stop_app() {
  kill "$APP_PID" && wait "$APP_PID" 2>/dev/null || true
  kill "$XVFB_PID" && wait "$XVFB_PID" 2>/dev/null || true
  APP_PID=
  XVFB_PID=
}

# Every file of the data folder: path, mode, size, SHA-256.
manifest() {
  (cd "$DATA" && find . -type f -printf '%P\n' | LC_ALL=C sort | while read -r f; do
    printf '%s %s %s %s\n' "$f" "$(stat -c %a "$f")" "$(stat -c %s "$f")" "$(sha256sum <"$f" | cut -d' ' -f1)"
  done)
}

rm -rf "$FLEET"
mkdir -p "$REPO" "$HOME_DIR" "$FLEET/v1/deb" "$FLEET/v2/deb"

step "package $V1: tauri build --bundles deb (cargo reuses target/release when current)"
"${TAURI[@]}" build --bundles deb
mv "target/release/bundle/deb/Firmly Desk_${V1}_amd64.deb" "$FLEET/v1/deb/"
cp "$FLEET/v1/deb/Firmly Desk_${V1}_amd64.deb" "target/release/bundle/deb/"

step "package $V2: tauri bundle --bundles deb with version $V2 (the same binary, repackaged)"
"${TAURI[@]}" bundle --bundles deb --config "{\"version\": \"$V2\"}"
mv "target/release/bundle/deb/Firmly Desk_${V2}_amd64.deb" "$FLEET/v2/deb/"
rm -rf "target/release/bundle/deb/Firmly Desk_${V2}_amd64"

step "check both packages"
./.ci/check-packages.sh "$FLEET/v1" >"$FLEET/check-v1.txt" || { cat "$FLEET/check-v1.txt"; die "package $V1"; }
tail -1 "$FLEET/check-v1.txt"
EXPECT_VERSION=$V2 ./.ci/check-packages.sh "$FLEET/v2" >"$FLEET/check-v2.txt" || { cat "$FLEET/check-v2.txt"; die "package $V2"; }
tail -1 "$FLEET/check-v2.txt"
verify "both packages checked (.ci/check-packages.sh): $V1 and $V2"

step "local apt repository with $V1: $REPO"
cp "$FLEET/v1/deb/Firmly Desk_${V1}_amd64.deb" "$REPO/firmly-desk_${V1}_amd64.deb"
publish
echo "deb [trusted=yes] file:$REPO ./" >"$SOURCE"
echo "  $SOURCE: $(cat "$SOURCE")"
apt_update_local

step "apt-get install firmly-desk"
installed=1
DEBIAN_FRONTEND=noninteractive apt-get install -y -q firmly-desk
[ "$(dpkg-query -W -f='${Version}' firmly-desk)" = "$V1" ] || die "installed $(dpkg-query -W -f='${Version}' firmly-desk), want $V1"
apt-cache policy firmly-desk | sed -n '1,8p'
verify "installed firmly-desk $V1 from the local repository with apt"
[ "$(cat /usr/share/firmly-desk/BUILD)" = embedded-sandbox ] && verify "/usr/share/firmly-desk/ installed (BUILD: embedded-sandbox)"

step "the installed app makes its data folder ($DATA), started as the kiosk unit starts it"
start_app 1
stop_app
ls -la "$DATA"
[ -d "$DATA" ] || die "no data folder at $DATA"
# An order's traces, in the app's formats: the journal with every order settled
# (firmly-checkout orders/journal.rs writes it pretty-printed, owner-only) and the audit
# lines of a placed order (audit.rs `AuditEntry`, one JSON object a line).
if [ ! -f "$DATA/firmly-desk.orders.json" ]; then
  printf '{\n  "records": []\n}' >"$DATA/firmly-desk.orders.json"
  chmod 600 "$DATA/firmly-desk.orders.json"
fi
now=$(date -u +%Y-%m-%dT%H:%M:%S.000Z)
for line in "place_order\",\"outcome\":\"sent" "order_placed\",\"outcome\":\"SBX-1001"; do
  printf '{"at":"%s","mode":"kiosk","merchant":"staging.luma.gift","action":"%s"}\n' "$now" "$line" >>"$DATA/audit.jsonl"
done
chmod 600 "$DATA/audit.jsonl"
for f in firmly-desk.json firmly-desk.orders.json audit.jsonl; do
  [ -s "$DATA/$f" ] || die "no $f in the data folder"
done
manifest >"$FLEET/data-before.txt"
cat "$FLEET/data-before.txt"
verify "data folder made by the installed app: $(wc -l <"$FLEET/data-before.txt") files (store, order journal, audit log, logs, sandbox-url)"

step "publish $V2 and upgrade: apt-get update && apt-get install --only-upgrade firmly-desk"
cp "$FLEET/v2/deb/Firmly Desk_${V2}_amd64.deb" "$REPO/firmly-desk_${V2}_amd64.deb"
publish
apt_update_local
DEBIAN_FRONTEND=noninteractive apt-get install -y -q --only-upgrade firmly-desk
now_version=$(dpkg-query -W -f='${Version}' firmly-desk)
[ "$now_version" = "$V2" ] || die "after the upgrade firmly-desk is $now_version, want $V2"
verify "upgraded with apt: firmly-desk $V1 -> $now_version"

step "the data folder survived the upgrade byte for byte"
manifest >"$FLEET/data-after.txt"
if ! diff -u "$FLEET/data-before.txt" "$FLEET/data-after.txt"; then
  die "the data folder changed during the upgrade"
fi
verify "store, order journal, audit log, logs: the same bytes and modes after the upgrade ($(wc -l <"$FLEET/data-after.txt") files, SHA-256)"

step "the upgraded app starts on the kept data"
start_app 2
stop_app
if grep -E 'the store cannot be read|order journal .*unreadable|the order journal cannot be read' "$DATA/logs/firmly-desk.log"; then
  die "the upgraded app could not read the kept data"
fi
grep -q '"action":"order_placed","outcome":"SBX-1001"' "$DATA/audit.jsonl" || die "the audit log lost its entries"
verify "the upgraded app started on the kept data (desk ready; store, journal and audit log read)"

step "apt-get remove firmly-desk: the program goes, the data stays"
DEBIAN_FRONTEND=noninteractive apt-get remove -y -q firmly-desk
installed=0
[ ! -e /usr/bin/firmly-desk ] || die "/usr/bin/firmly-desk is still there"
[ ! -e /usr/share/firmly-desk ] || die "/usr/share/firmly-desk is still there"
[ -s "$DATA/firmly-desk.json" ] && [ -s "$DATA/audit.jsonl" ] || die "the data folder went with the package"
verify "removed: /usr/bin/firmly-desk and /usr/share/firmly-desk gone, the data folder kept"

step "remove the test source"
rm -f "$SOURCE"
rm -f /var/lib/apt/lists/*"$(echo "${REPO#/}" | tr / _)"*
[ ! -e "$SOURCE" ] && verify "removed $SOURCE and its lists"

step "fleet update path verified"
for v in "${verified[@]}"; do echo "  - $v"; done
