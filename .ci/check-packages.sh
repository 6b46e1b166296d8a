#!/usr/bin/env bash
# Lists each package the bundler made (.deb, .rpm, AppImage) and asserts, the same way for
# each, what an install needs: the binary, the desktop entry, the icons, the version, the
# description, license, homepage and copyright, and (.deb, .rpm) the kiosk deployment under
# /usr/share/firmly-desk/ (unchanged from docs/kiosk/) with the BUILD file naming the build.
# Called by `.ci/desk bundle`.
#   .ci/check-packages.sh BUNDLE_DIR [BUILD]
#     BUNDLE_DIR  e.g. target/release/bundle
#     BUILD       embedded-sandbox (default) or live-only: what the packages must say they are
#   EXPECT_VERSION=V  the version the packages must carry (default: Cargo.toml's [package])
set -euo pipefail
cd "$(dirname "$0")/.."
BUNDLE_DIR=${1:?usage: .ci/check-packages.sh BUNDLE_DIR [embedded-sandbox|live-only]}
BUILD=${2:-embedded-sandbox}
case "$BUILD" in
  embedded-sandbox | live-only) ;;
  *) echo "BUILD must be embedded-sandbox or live-only, not $BUILD" >&2; exit 2 ;;
esac

# The expected values come from where they are declared: the version, license and homepage
# from Cargo.toml (tauri.conf.json has no version: the bundler takes Cargo's), the
# descriptions and the copyright from tauri.conf.json.
cargo_field() {
  python3 - "$1" <<'EOF'
import sys, tomllib
m = tomllib.load(open("Cargo.toml", "rb"))
pkg, ws = m["package"], m.get("workspace", {}).get("package", {})
key = sys.argv[1]
value = pkg.get(key)
if isinstance(value, dict) and value.get("workspace"):
    value = ws[key]
print(value)
EOF
}
conf_field() { python3 -c 'import json,sys;print(json.load(open("tauri.conf.json"))["bundle"][sys.argv[1]])' "$1"; }
VERSION=${EXPECT_VERSION:-$(cargo_field version)}
LICENSE=$(cargo_field license)
HOMEPAGE=$(cargo_field homepage)
DESCRIPTION=$(conf_field shortDescription)
COPYRIGHT=$(conf_field copyright)
ICON_SIZES=(32x32 128x128 512x512)
# The kiosk deployment: installed name → source in the tree (byte-identical).
KIOSK_FILES=(firmly-desk-kiosk.service firmly-desk-kiosk.desktop policy.example.json policy.schema.json)
# A route only the embedded sandbox serves: in the binary exactly when the sandbox is.
SANDBOX_MARKER=/__sandbox/rotate-key
failures=0
checked=0

fail() { echo "  FAIL: $*" >&2; failures=$((failures + 1)); }
ok() { echo "  ok:   $*"; }
expect() { # expect WHAT ACTUAL WANTED
  if [ "$2" = "$3" ]; then ok "$1: $2"; else fail "$1 is '$2', want '$3'"; fi
}

echo "expecting version $VERSION, build $BUILD, license $LICENSE, homepage $HOMEPAGE"
[ "$(conf_field license)" = "$LICENSE" ] || fail "tauri.conf.json bundle.license differs from Cargo.toml's $LICENSE"
[ "$(conf_field homepage)" = "$HOMEPAGE" ] || fail "tauri.conf.json bundle.homepage differs from Cargo.toml's $HOMEPAGE"

# Asserts a file tree (an unpacked package) holds the app.
#   $1 = root of the tree, $2 = the package's long description, $3 = copyright file or "-"
#   (an AppImage carries neither the kiosk files nor a copyright file: $3 = "-").
check_tree() {
  local root=$1 long=$2 copyright=$3 desktop
  if [ -x "$root/usr/bin/firmly-desk" ]; then ok "usr/bin/firmly-desk (executable)"; else fail "no executable usr/bin/firmly-desk"; fi
  desktop=$(find "$root/usr/share/applications" -name '*.desktop' -print -quit 2>/dev/null)
  if [ -z "$desktop" ]; then
    fail "no desktop entry under usr/share/applications"
  else
    ok "desktop entry ${desktop#"$root"/}"
    grep -qx 'Name=Firmly Desk' "$desktop" || fail "desktop entry lacks Name=Firmly Desk"
    grep -qx 'Exec=firmly-desk' "$desktop" || fail "desktop entry lacks Exec=firmly-desk"
    grep -qx 'Icon=firmly-desk' "$desktop" || fail "desktop entry lacks Icon=firmly-desk"
    grep -qx 'Type=Application' "$desktop" || fail "desktop entry lacks Type=Application"
    grep -qx "Comment=$DESCRIPTION" "$desktop" || fail "desktop entry lacks the description"
    if command -v desktop-file-validate >/dev/null; then
      desktop-file-validate "$desktop" && ok "desktop-file-validate" || fail "desktop-file-validate rejects the entry"
    fi
  fi
  for size in "${ICON_SIZES[@]}"; do
    local icon="$root/usr/share/icons/hicolor/$size/apps/firmly-desk.png"
    if [ -s "$icon" ] && [[ "$(file -b "$icon")" == "PNG image data, ${size/x/ x }"* ]]; then
      ok "icon $size"
    else
      fail "no $size PNG icon at usr/share/icons/hicolor/$size/apps/firmly-desk.png"
    fi
  done
  # Which build: the description, and the binary itself.
  if grep -qF "(build: $BUILD)" <<<"$long"; then ok "description says build: $BUILD"; else fail "the description does not say (build: $BUILD)"; fi
  if [ -x "$root/usr/bin/firmly-desk" ]; then
    local has_sandbox=no
    grep -qaF "$SANDBOX_MARKER" "$root/usr/bin/firmly-desk" && has_sandbox=yes
    case "$BUILD/$has_sandbox" in
      embedded-sandbox/yes) ok "the binary has the embedded sandbox" ;;
      live-only/no) ok "the binary has no embedded sandbox" ;;
      *) fail "build $BUILD, but the binary's embedded sandbox: $has_sandbox" ;;
    esac
  fi
  [ "$copyright" = "-" ] && return 0
  local share="$root/usr/share/firmly-desk"
  for name in "${KIOSK_FILES[@]}"; do
    if cmp -s "$share/$name" "docs/kiosk/$name"; then
      ok "usr/share/firmly-desk/$name (= docs/kiosk/$name)"
    else
      fail "usr/share/firmly-desk/$name is missing or differs from docs/kiosk/$name"
    fi
  done
  python3 -c 'import json,sys; [json.load(open(p)) for p in sys.argv[1:]]' \
    "$share/policy.example.json" "$share/policy.schema.json" 2>/dev/null \
    && ok "policy example and schema are JSON" || fail "the policy example or schema is not JSON"
  if command -v desktop-file-validate >/dev/null && [ -f "$share/firmly-desk-kiosk.desktop" ]; then
    desktop-file-validate "$share/firmly-desk-kiosk.desktop" && ok "desktop-file-validate (kiosk autostart entry)" \
      || fail "desktop-file-validate rejects the kiosk autostart entry"
  fi
  expect "usr/share/firmly-desk/BUILD" "$(cat "$share/BUILD" 2>/dev/null)" "$BUILD"
  if [ -f "$root/$copyright" ]; then
    ok "$copyright"
    grep -qx "License: $LICENSE" "$root/$copyright" && ok "copyright file: License: $LICENSE" \
      || fail "$copyright lacks License: $LICENSE"
    grep -qF "$COPYRIGHT" "$root/$copyright" && ok "copyright file: $COPYRIGHT" \
      || fail "$copyright lacks '$COPYRIGHT'"
  else
    fail "no $copyright"
  fi
}

shopt -s nullglob
for deb in "$BUNDLE_DIR"/deb/*.deb; do
  checked=$((checked + 1))
  echo "== $deb ($(du -h "$deb" | cut -f1))"
  dpkg-deb --contents "$deb"
  field() { dpkg-deb --field "$deb" "$1"; }
  expect "Package" "$(field Package)" firmly-desk
  expect "Version" "$(field Version)" "$VERSION"
  expect "Homepage" "$(field Homepage)" "$HOMEPAGE"
  # Read whole into variables: `dpkg-deb … | grep -q` would let grep's early exit fail the
  # pipeline (pipefail) when dpkg-deb is still writing.
  description=$(field Description)
  depends=$(field Depends)
  [ "$(head -1 <<<"$description")" = "$DESCRIPTION" ] && ok "Description: $DESCRIPTION" || fail "Description is $(head -1 <<<"$description")"
  grep -q libwebkit2gtk-4.1 <<<"$depends" && ok "Depends: $depends" || fail "Depends lacks libwebkit2gtk-4.1"
  tree=$(mktemp -d)
  dpkg-deb --extract "$deb" "$tree"
  deb_path=$(realpath "$deb")
  (cd "$tree" && dpkg-deb --info "$deb_path" md5sums | md5sum --check --quiet) \
    && ok "unpacked: every file matches the package's md5sums" || fail "unpacked files differ from the package's md5sums"
  # dpkg-deb joins the long description's lines with newlines; the marker may wrap.
  check_tree "$tree" "$(tr '\n' ' ' <<<"$description" | tr -s ' ')" usr/share/doc/firmly-desk/copyright
  rm -rf "$tree"
done
for rpm in "$BUNDLE_DIR"/rpm/*.rpm; do
  checked=$((checked + 1))
  echo "== $rpm ($(du -h "$rpm" | cut -f1))"
  rpm -qlp "$rpm"
  tag() { rpm -qp --queryformat "%{$1}" "$rpm"; }
  expect "Name" "$(tag NAME)" firmly-desk
  expect "Version" "$(tag VERSION)" "$VERSION"
  expect "License" "$(tag LICENSE)" "$LICENSE"
  expect "URL" "$(tag URL)" "$HOMEPAGE"
  expect "Summary" "$(tag SUMMARY)" "$DESCRIPTION"
  # The bundler lists no distribution packages; rpm's requires are the libraries' sonames,
  # which dnf and zypper resolve to each distribution's package.
  requires=$(rpm -qpR "$rpm" | tr '\n' ' ')
  grep -q 'libwebkit2gtk-4.1.so' <<<"$requires" && ok "Requires: $requires" || fail "Requires lacks libwebkit2gtk-4.1.so: $requires"
  rpm -K "$rpm" >/dev/null && ok "rpm -K: header and payload digests" || fail "rpm -K rejects the package"
  tree=$(mktemp -d)
  # rpm2cpio 4.18 exits 1 on these packages: the rpm crate the bundler uses writes no
  # archive-size tag for it to compare the payload with. The payload digest (rpm -K) and
  # every file's SHA-256 against the header (below) prove the unpacked tree whole instead.
  rpm2cpio "$rpm" >"$tree.cpio" || true
  (cd "$tree" && cpio -idm --quiet <"$tree.cpio")
  rm -f "$tree.cpio"
  [ "$(tag FILEDIGESTALGO)" = 8 ] || fail "file digests are not SHA-256 (algorithm $(tag FILEDIGESTALGO))"
  bad=0
  while IFS=$'\t' read -r path digest; do
    [ -n "$digest" ] || continue # directories
    [ "$(sha256sum <"$tree$path" 2>/dev/null | cut -d' ' -f1)" = "$digest" ] || { fail "unpacked $path differs from the header's digest"; bad=1; }
  done < <(rpm -qp --queryformat '[%{FILENAMES}\t%{FILEDIGESTS}\n]' "$rpm")
  [ "$bad" = 0 ] && ok "unpacked: every file matches the header's SHA-256"
  description=$(tag DESCRIPTION)
  check_tree "$tree" "$(tr '\n' ' ' <<<"$description")" usr/share/licenses/firmly-desk/copyright
  rm -rf "$tree"
done
for image in "$BUNDLE_DIR"/appimage/*.AppImage; do
  checked=$((checked + 1))
  echo "== $image ($(du -h "$image" | cut -f1))"
  tree=$(mktemp -d)
  image_path=$(realpath "$image")
  (cd "$tree" && "$image_path" --appimage-extract >/dev/null)
  find "$tree/squashfs-root" -printf '%P\n' | sort
  check_tree "$tree/squashfs-root" "(build: $BUILD)" -
  rm -rf "$tree"
done

if [ "$checked" -eq 0 ]; then
  echo "no package found under $BUNDLE_DIR" >&2
  exit 1
fi
if [ "$failures" -gt 0 ]; then
  echo "$failures check(s) failed in $checked package(s)" >&2
  exit 1
fi
echo "packages checked: $checked ($BUILD, version $VERSION), all contents as expected"
