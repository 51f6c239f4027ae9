#!/usr/bin/env bash
# Installs the Debian packages the lab needs (DESIGN.md §9). Idempotent; quick when everything is there.
# Usage: build/lab/install.sh            (as root, or with sudo available)
set -euo pipefail

packages=(
  qemu-system-x86          # the QEMU board
  qemu-utils               # qemu-img: copy-on-write overlays over board disks
  linux-image-cloud-amd64  # its kernel (and virtio modules)
  busybox-static           # its userland
  dropbear-bin             # SSH inside the board
  cpio                     # packs the initramfs
  openssh-server           # the SSH board (sshd on loopback)
  openssh-client           # ssh, scp, ssh-keygen
  socat                    # pty pairs with a shell behind them (the serial board)
  ser2net                  # raw TCP and RFC 2217 in front of the pty
  pdudaemon                # power control over HTTP
  python3-jsonschema       # checks the examples against schemas/spec.schema.json
  python3-yaml
  rsync                    # benchmarks compare deploys with rsync
  procps                   # ps/pgrep for the no-orphans checks
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "lab: all ${#packages[@]} packages present"
  exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "lab: need root (or sudo) to install: ${missing[*]}" >&2; exit 1; }
  sudo="sudo"
fi

echo "lab: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
# --no-install-recommends keeps it small; policy-rc.d stops Debian from starting system daemons we run ourselves.
if [ ! -e /usr/sbin/policy-rc.d ]; then
  printf '#!/bin/sh\nexit 101\n' | $sudo tee /usr/sbin/policy-rc.d >/dev/null
  $sudo chmod +x /usr/sbin/policy-rc.d
  trap '$sudo rm -f /usr/sbin/policy-rc.d' EXIT
fi
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "lab: installed ${#missing[@]} packages"
