#!/bin/sh
# After the deb or rpm is installed. A template, as electron-builder's own after-install.tpl is:
# it fills in the executable's and the product's names (headroom, Headroom). It replaces that one
# to make /usr/bin/headroom the CLI (resources/bin/headroom) rather than the app, which its
# desktop entry starts (Exec=/opt/Headroom/headroom); the rest does what electron-builder's does.
# POSIX sh: an rpm runs it with /bin/sh, whatever its first line says.
set -u
cli='/opt/${sanitizedProductName}/resources/bin/${executable}'
link='/usr/bin/${executable}'

if command -v update-alternatives >/dev/null 2>&1; then
  # A package of before the CLI linked the app itself: that alternative goes.
  update-alternatives --remove '${executable}' '/opt/${sanitizedProductName}/${executable}' >/dev/null 2>&1 || true
  # A link made without update-alternatives would make it fail.
  if [ -L "$link" ] && [ "$(readlink "$link")" != '/etc/alternatives/${executable}' ]; then
    rm -f "$link"
  fi
  update-alternatives --install "$link" '${executable}' "$cli" 100 || ln -sf "$cli" "$link"
else
  ln -sf "$cli" "$link"
fi

# Chromium's sandbox: set-user-ID only where user namespaces are missing.
if [ -L /proc/self/ns/user ] && unshare --user true 2>/dev/null; then
  chmod 0755 '/opt/${sanitizedProductName}/chrome-sandbox' || true
else
  chmod 4755 '/opt/${sanitizedProductName}/chrome-sandbox' || true
fi

if command -v update-mime-database >/dev/null 2>&1; then
  update-mime-database /usr/share/mime || true
fi
if command -v update-desktop-database >/dev/null 2>&1; then
  update-desktop-database /usr/share/applications || true
fi

# Ubuntu 24.04 and later: the AppArmor profile electron-builder ships (resources/apparmor-profile)
# lets the app use unprivileged user namespaces for its sandbox. An AppArmor too old for the
# profile's abi/4.0 (Ubuntu 22.04) needs none: skipped. In a chroot (an image being built) the
# profile is copied but not loaded.
if apparmor_status --enabled >/dev/null 2>&1; then
  profile='/opt/${sanitizedProductName}/resources/apparmor-profile'
  target='/etc/apparmor.d/${executable}'
  if apparmor_parser --skip-kernel-load --debug "$profile" >/dev/null 2>&1; then
    cp -f "$profile" "$target"
    if ! { [ -x /usr/bin/ischroot ] && /usr/bin/ischroot; } && command -v apparmor_parser >/dev/null 2>&1; then
      apparmor_parser --replace --write-cache --skip-read-cache "$target"
    fi
  else
    echo "Skipping the AppArmor profile: this version of AppArmor does not support it"
  fi
fi
exit 0
