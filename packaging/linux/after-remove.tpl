#!/bin/sh
# After the deb or rpm is removed (a template, as after-install.tpl is): takes away
# /usr/bin/headroom and the AppArmor profile that after-install.tpl put in. An rpm upgrade runs
# the old package's script after the new one's after-install, with $1 = 1 (a deb says "upgrade"):
# the link and the profile are then the new version's, and stay.
case "${1:-}" in
  [1-9]* | upgrade) exit 0 ;;
esac

if command -v update-alternatives >/dev/null 2>&1; then
  update-alternatives --remove '${executable}' '/opt/${sanitizedProductName}/resources/bin/${executable}' || true
else
  rm -f '/usr/bin/${executable}'
fi

profile='/etc/apparmor.d/${executable}'
if [ -f "$profile" ]; then
  # Unloaded before it is deleted, so that it is not enforced until the next boot.
  if apparmor_status --enabled >/dev/null 2>&1; then
    if ! { [ -x /usr/bin/ischroot ] && /usr/bin/ischroot; } && command -v apparmor_parser >/dev/null 2>&1; then
      apparmor_parser --remove "$profile" || true
    fi
  fi
  rm -f "$profile"
fi
exit 0
