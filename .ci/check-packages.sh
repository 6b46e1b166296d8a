#!/usr/bin/env bash
# Lists each package the bundler made and asserts what an install needs: the binary, the
# desktop entry, the icons, the version and the description. Called by `.ci/desk bundle`.
#   .ci/check-packages.sh BUNDLE_DIR      (e.g. target/release/bundle)
set -euo pipefail
cd "$(dirname "$0")/.."
BUNDLE_DIR=${1:?usage: .ci/check-packages.sh BUNDLE_DIR}
VERSION=$(python3 -c 'import json;print(json.load(open("tauri.conf.json"))["version"])')
DESCRIPTION=$(python3 -c 'import json;print(json.load(open("tauri.conf.json"))["bundle"]["shortDescription"])')
ICON_SIZES=(32x32 128x128 512x512)
failures=0
checked=0

fail() { echo "  FAIL: $*" >&2; failures=$((failures + 1)); }
ok() { echo "  ok:   $*"; }

# Asserts a file tree (an unpacked package) holds the app: $1 = root of the tree.
check_tree() {
  local root=$1 desktop
  if [ -x "$root/usr/bin/firmly-desk" ]; then ok "usr/bin/firmly-desk (executable)"; else fail "no executable usr/bin/firmly-desk"; fi
  desktop=$(find "$root/usr/share/applications" -name '*.desktop' 2>/dev/null | head -1)
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
    if [ -s "$icon" ] && file "$icon" | grep -q "PNG image data, ${size/x/ x }"; then
      ok "icon $size"
    else
      fail "no $size PNG icon at usr/share/icons/hicolor/$size/apps/firmly-desk.png"
    fi
  done
}

shopt -s nullglob
for deb in "$BUNDLE_DIR"/deb/*.deb; do
  checked=$((checked + 1))
  echo "== $deb"
  dpkg-deb --contents "$deb"
  field() { dpkg-deb --field "$deb" "$1"; }
  [ "$(field Package)" = firmly-desk ] && ok "Package: firmly-desk" || fail "Package is $(field Package)"
  [ "$(field Version)" = "$VERSION" ] && ok "Version: $VERSION" || fail "Version is $(field Version), want $VERSION"
  field Description | head -1 | grep -qF "$DESCRIPTION" && ok "Description" || fail "Description is $(field Description | head -1)"
  field Depends | grep -q libwebkit2gtk-4.1 && ok "Depends: $(field Depends)" || fail "Depends lacks libwebkit2gtk-4.1"
  tree=$(mktemp -d)
  dpkg-deb --extract "$deb" "$tree"
  check_tree "$tree"
  rm -rf "$tree"
done
for image in "$BUNDLE_DIR"/appimage/*.AppImage; do
  checked=$((checked + 1))
  echo "== $image"
  tree=$(mktemp -d)
  (cd "$tree" && "$OLDPWD/$image" --appimage-extract >/dev/null)
  find "$tree/squashfs-root" -printf '%P\n' | sort
  check_tree "$tree/squashfs-root"
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
echo "packages checked: $checked, all contents as expected"
