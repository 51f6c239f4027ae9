#!/usr/bin/env bash
# Installs the Debian packages the lab needs (docs/lab.md). Idempotent; quick when everything is there.
# Also fetches the arm64 guest's parts (kernel, busybox-static, dropbear and its libraries) from Debian's
# package registry into build/lab/out/arm64-sysroot/ with `apt-get download` + `dpkg-deb -x`: nothing arm64
# is installed on the host and the host's dpkg/apt configuration is not changed (a private apt state with
# APT::Architecture=arm64 reads the same /etc/apt sources).
# Usage: build/lab/install.sh            (as root, or with sudo available)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

packages=(
  qemu-system-x86          # the QEMU board
  qemu-system-arm          # the arm64 QEMU board (qemu-system-aarch64)
  qemu-utils               # qemu-img: copy-on-write overlays over board disks
  linux-image-cloud-amd64  # its kernel (and virtio modules)
  busybox-static           # its userland
  dropbear-bin             # SSH inside the board
  cpio                     # packs the initramfs
  binutils                 # readelf: the libraries the arm64 board's dropbear needs
  openssh-server           # the SSH board (sshd on loopback)
  openssh-client           # ssh, scp, ssh-keygen
  socat                    # pty pairs with a shell behind them (the serial board)
  ser2net                  # raw TCP and RFC 2217 in front of the pty
  pdudaemon                # power control over HTTP
  python3-jsonschema       # checks the examples against schemas/spec.schema.json
  python3-yaml
  rsync                    # benchmarks compare deploys with rsync
  procps                   # ps/pgrep for the no-orphans checks
  strace                   # delays a console command's shell's exit (the busybox console shell test)
  etcd-server              # device leases across hosts: a 3-member cluster on loopback (tests/DeviceTest.Lab/Etcd)
  etcd-client              # etcdctl, for looking at the leases by hand
  bmap-tools               # bmaptool: the reference the flash tests and benchmark compare with (block maps)
  xz-utils                 # xz: the decompressor DeviceTest pipes .xz images through; the tests compress with it
  zstd                     # zstd, bzip2: the native devicetest pipes .zst/.bz2 images through them; the tests compress with them
  bzip2
  syslinux                 # syslinux --install (mtools): the bootable lab disk images (flash-images.sh)
  syslinux-common          # its MBR (mbr.bin)
  mtools                   # fills the disk images' FAT partition without mounting it
  dosfstools               # mkfs.vfat -C
  fdisk                    # sfdisk: the disk images' partition table
  e2fsprogs                # mkfs.ext4: the flash tests mount a card to see it refused
  ffmpeg                   # frames for the capture-command screen tests (lavfi test sources)
  curl                     # the snapshot-URL screen
  clang                    # NativeAOT's compiler driver and linker: the native devicetest (docs/native.md)
  libboost-dev             # boost's INI reader (with clang++): the agent reads aktualizr's config files exactly as it (AktualizrConfigFileBoostTests)
  lld                      #   and, with the two below, the linux-arm64 cross build
  gcc-aarch64-linux-gnu    #   arm64 crt files and libgcc
  libc6-dev-arm64-cross    #   arm64 libc to link against
  qemu-user                # qemu-aarch64: CI runs the arm64 native devicetest's smoke spec under it
)

# arm64 guest parts, from Debian's arm64 archive (linux-image-cloud-arm64 has pl011, PCI host and virtio)
arm64_sysroot="$here/out/arm64-sysroot"
arm64_packages=(linux-image-cloud-arm64 busybox-static dropbear-bin libc6 libcrypt1 libtomcrypt1 libtommath1 libgmp10 zlib1g)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

arm64_present() {
  [ -f "$arm64_sysroot/.packages" ] && [ "$(head -n 1 "$arm64_sysroot/.packages")" = "${arm64_packages[*]}" ] \
    && ls "$arm64_sysroot"/boot/vmlinuz-*-cloud-arm64 >/dev/null 2>&1 && [ -x "$arm64_sysroot/bin/busybox" ] \
    && [ -x "$arm64_sysroot/usr/sbin/dropbear" ]
}

if [ ${#missing[@]} -eq 0 ] && arm64_present; then
  echo "lab: all ${#packages[@]} packages and the arm64 guest parts present"
  exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "lab: need root (or sudo) to install: ${missing[*]} (and the arm64 guest parts)" >&2; exit 1; }
  sudo="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
policy_rc=""
apt_dir=""
cleanup() {
  if [ -n "$policy_rc" ]; then $sudo rm -f /usr/sbin/policy-rc.d; fi
  if [ -n "$apt_dir" ]; then $sudo rm -rf "$apt_dir"; fi
}
trap cleanup EXIT

if [ ${#missing[@]} -gt 0 ]; then
  echo "lab: installing ${missing[*]}"
  $sudo apt-get update -qq
  # --no-install-recommends keeps it small; policy-rc.d stops Debian from starting system daemons we run ourselves.
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' | $sudo tee /usr/sbin/policy-rc.d >/dev/null
    $sudo chmod +x /usr/sbin/policy-rc.d
    policy_rc=1
  fi
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  echo "lab: installed ${#missing[@]} packages"
fi

if ! arm64_present; then
  echo "lab: fetching the arm64 guest parts (${arm64_packages[*]})"
  apt_dir="$(mktemp -d "${TMPDIR:-/tmp}/lab-apt-arm64.XXXXXX")"
  staging="$here/out/.arm64-sysroot.new"
  $sudo mkdir -p "$here/out"
  $sudo rm -rf "$staging"
  $sudo mkdir -p "$staging"
  mkdir -p "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial" "$apt_dir/debs"
  : > "$apt_dir/status"
  apt_opts=(-q -o APT::Architecture=arm64 -o APT::Architectures::=arm64 -o "Dir::State::Lists=$apt_dir/lists"
    -o "Dir::State::status=$apt_dir/status" -o "Dir::Cache=$apt_dir/cache" -o Debug::NoLocking=1 -o APT::Sandbox::User=root)
  fail_arm64() { echo "lab: cannot fetch the arm64 guest parts: $* (the configured apt sources must serve arm64)" >&2; exit 1; }
  $sudo apt-get "${apt_opts[@]}" update -qq >/dev/null || fail_arm64 "apt-get update for arm64 failed"
  # the metapackage names the versioned kernel package (linux-image-<abi>-cloud-arm64)
  kernel_pkg="$(apt-cache "${apt_opts[@]}" depends linux-image-cloud-arm64 2>/dev/null \
    | awk '$1 == "Depends:" && $2 ~ /^linux-image-[0-9]/ { print $2; exit }')"
  [ -n "$kernel_pkg" ] || fail_arm64 "no arm64 kernel package behind linux-image-cloud-arm64"
  fetch=("$kernel_pkg" "${arm64_packages[@]:1}")
  (cd "$apt_dir/debs" && $sudo apt-get "${apt_opts[@]}" download "${fetch[@]}" >/dev/null) || fail_arm64 "apt-get download ${fetch[*]} failed"
  for deb in "$apt_dir"/debs/*.deb; do
    $sudo dpkg-deb -x "$deb" "$staging"
    dpkg-deb --show --showformat='${Package} ${Version}\n' "$deb" >> "$apt_dir/versions"
  done
  { echo "${arm64_packages[*]}"; sort "$apt_dir/versions"; } | $sudo tee "$staging/.packages" >/dev/null
  $sudo rm -rf "$arm64_sysroot"
  $sudo mv "$staging" "$arm64_sysroot"
  # the board build (qemu-board.sh) runs as the checkout's owner
  $sudo chown -R --reference="$here" "$here/out" 2>/dev/null || true
  echo "lab: arm64 guest parts in $arm64_sysroot ($kernel_pkg)"
fi
