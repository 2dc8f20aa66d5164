#!/bin/sh
# The macOS disk image of Chargeback Desk, from the PyInstaller app bundle
# dist/Chargeback Desk.app (make bundle). Usage: packaging/macos/build-dmg.sh VERSION ARCH
#
# Signing and notarization run only when their secrets are in the environment:
#   MACOS_SIGNING_IDENTITY   "Developer ID Application: …" (imported into a keychain first;
#                            the release workflow does it from MACOS_CERTIFICATE_P12)
#   APPLE_ID, APPLE_TEAM_ID, APPLE_APP_PASSWORD   for notarytool (a signed image only)
# Without them the image is built unsigned (and says so).
set -eu

VERSION="${1:?usage: build-dmg.sh VERSION ARCH}"
ARCH="${2:?usage: build-dmg.sh VERSION ARCH}"
APP="dist/Chargeback Desk.app"
DMG="dist/chargeback-desk-${VERSION}-macos-${ARCH}.dmg"
ENTITLEMENTS="packaging/macos/entitlements.plist"

[ -d "$APP" ] || { echo "build-dmg: no $APP; run make bundle first" >&2; exit 1; }

if [ -n "${MACOS_SIGNING_IDENTITY:-}" ]; then
    echo "Signing $APP as $MACOS_SIGNING_IDENTITY"
    codesign --force --deep --timestamp --options runtime \
        --entitlements "$ENTITLEMENTS" --sign "$MACOS_SIGNING_IDENTITY" "$APP"
    codesign --verify --deep --strict --verbose=2 "$APP"
else
    echo "No MACOS_SIGNING_IDENTITY: the app is not signed (users allow it in System Settings," \
        "Privacy & Security, Open Anyway)"
fi

STAGING="$(mktemp -d)"
trap 'rm -rf "$STAGING"' EXIT
cp -R "$APP" "$STAGING/"
ln -s /Applications "$STAGING/Applications"
rm -f "$DMG"
hdiutil create -volname "Chargeback Desk" -srcfolder "$STAGING" -ov -format UDZO "$DMG"

if [ -n "${MACOS_SIGNING_IDENTITY:-}" ]; then
    codesign --timestamp --sign "$MACOS_SIGNING_IDENTITY" "$DMG"
fi
if [ -n "${MACOS_SIGNING_IDENTITY:-}" ] && [ -n "${APPLE_ID:-}" ] && [ -n "${APPLE_TEAM_ID:-}" ] \
    && [ -n "${APPLE_APP_PASSWORD:-}" ]; then
    echo "Notarizing $DMG"
    xcrun notarytool submit "$DMG" --apple-id "$APPLE_ID" --team-id "$APPLE_TEAM_ID" \
        --password "$APPLE_APP_PASSWORD" --wait
    xcrun stapler staple "$DMG"
else
    echo "Not notarized (Apple notarizes signed images only; the secrets are missing)"
fi
echo "Built $DMG"
