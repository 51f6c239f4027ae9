#!/usr/bin/env bash
# Builds the QEMU virtual boards the project's own tests use (docs/lab.md) into build/lab/out/:
#   vmlinuz                    Debian's linux-image-cloud-amd64 kernel, as installed in /boot
#   initramfs.cpio.gz          busybox-static userland, the virtio modules, dropbear on port 22 (console ttyS0)
#   arm64/Image                Debian's linux-image-cloud-arm64 kernel (an uncompressed arm64 Image), for
#                              qemu-system-aarch64 -machine virt
#   arm64/initramfs.cpio.gz    the same userland and /init built from Debian's arm64 packages (console ttyAMA0,
#                              the virt machine's pl011)
#   id_ed25519[.pub]           the test key pair; its public key is root's authorized key on both boards
# The board: a root shell on the console (prompt '/ # '), respawned when it exits, and another on tty1 (the VGA
# console and PS/2 keyboard on x86-64; the virtio keyboard on arm64); with
# `devicetest.login=1` on the kernel command line a getty/login on the console instead (users root/root,
# tester/tester); with `devicetest.jobs=0` the shell on /dev/console without a controlling terminal (no job
# control: Ctrl+C reaches nothing, as on many boards); eth0 10.0.2.15/24 via 10.0.2.2 (QEMU user networking); hostname devicetest-qemu;
# prints "DeviceTest QEMU board ready" when dropbear is up; `reboot` reboots for real.
# The arm64 parts come from build/lab/out/arm64-sysroot/, which build/lab/install.sh fetches; without it
# only the x86_64 board is built (with a warning).
# Idempotent: does nothing when the inputs (this script, kernels, modules, busybox, dropbear) are unchanged.
# Usage: build/lab/qemu-board.sh [--force]      (needs: sudo build/lab/install.sh)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="$here/out"
force=0
[ "${1:-}" = "--force" ] && force=1

die() { echo "qemu-board: $*" >&2; exit 1; }

kernel="$(ls -1 /boot/vmlinuz-*-cloud-amd64 2>/dev/null | sort -V | tail -n 1 || true)"
[ -n "$kernel" ] || die "no /boot/vmlinuz-*-cloud-amd64 (run: sudo build/lab/install.sh)"
kver="${kernel#/boot/vmlinuz-}"
moddir="/lib/modules/$kver"
[ -d "$moddir" ] || die "no $moddir for kernel $kver"
busybox=/bin/busybox
[ -x "$busybox" ] || busybox=/usr/bin/busybox
[ -x "$busybox" ] || die "no busybox (busybox-static; run: sudo build/lab/install.sh)"
if ldd "$busybox" >/dev/null 2>&1; then die "$busybox is linked dynamically; the board needs busybox-static"; fi
dropbear=/usr/sbin/dropbear
[ -x "$dropbear" ] || die "no $dropbear (dropbear-bin; run: sudo build/lab/install.sh)"
command -v dropbearkey >/dev/null || die "no dropbearkey (dropbear-bin)"
command -v cpio >/dev/null || die "no cpio"
command -v ssh-keygen >/dev/null || die "no ssh-keygen (openssh-client)"
sftp_server=/usr/lib/openssh/sftp-server   # optional: lets scp/sftp work against the board

# Modules, in load order: /init insmods them one by one, so each comes after those it needs; virtio_blk is for
# boards started with a disk.
# virtio_input is the arm64 board's keyboard (x86-64's PS/2 keyboard and VGA console are built into its kernel).
modules=(virtio_ring virtio virtio_pci_legacy_dev virtio_pci_modern_dev virtio_pci failover net_failover virtio_net virtio_blk virtio_input)

# The arm64 board's parts (build/lab/install.sh: apt-get download + dpkg-deb -x of Debian's arm64 packages)
sysroot="$out/arm64-sysroot"
arm64=1
akernel="$(ls -1 "$sysroot"/boot/vmlinuz-*-cloud-arm64 2>/dev/null | sort -V | tail -n 1 || true)"
if [ -z "$akernel" ] || [ ! -f "$sysroot/.packages" ] || [ ! -x "$sysroot/bin/busybox" ] || [ ! -x "$sysroot/usr/sbin/dropbear" ]; then
  echo "qemu-board: warning: no arm64 guest parts in $sysroot: building the x86_64 board only (run: sudo build/lab/install.sh)" >&2
  arm64=0
else
  akver="${akernel##*/vmlinuz-}"
  amoddir="$sysroot/lib/modules/$akver"
  [ -d "$amoddir" ] || die "no $amoddir for the arm64 kernel $akver (run: sudo build/lab/install.sh)"
  command -v readelf >/dev/null || die "no readelf (binutils; run: sudo build/lab/install.sh)"
fi

# --- up to date? ------------------------------------------------------------------------------
stamp_input() {
  sha256sum "${BASH_SOURCE[0]}"
  for f in "$kernel" "$moddir/modules.dep" "$moddir/modules.builtin" "$busybox" "$dropbear" "$sftp_server"; do
    [ -e "$f" ] && stat -L -c '%n %s %Y' "$f"
  done
  true
}
stamp_input_arm64() {
  sha256sum "${BASH_SOURCE[0]}" "$sysroot/.packages"
  stat -L -c '%n %s %Y' "$busybox" # lists the applets and hashes the passwords
}
stamp="$(stamp_input | sha256sum | cut -d' ' -f1)"
astamp=""
[ $arm64 -eq 1 ] && astamp="$(stamp_input_arm64 | sha256sum | cut -d' ' -f1)"
mkdir -p "$out"
# one build at a time (parallel test runs may all ask for the board)
exec 9>"$out/.lock"
flock 9
x86_todo=1
arm64_todo=$arm64
if [ $force -eq 0 ] && [ -f "$out/.stamp" ] && [ "$(cat "$out/.stamp")" = "$stamp" ] \
   && [ -f "$out/vmlinuz" ] && [ -f "$out/initramfs.cpio.gz" ] && [ -f "$out/id_ed25519" ] && [ -f "$out/id_ed25519.pub" ]; then
  x86_todo=0
fi
if [ $arm64 -eq 1 ] && [ $force -eq 0 ] && [ -f "$out/arm64/.stamp" ] && [ "$(cat "$out/arm64/.stamp")" = "$astamp" ] \
   && [ -f "$out/arm64/Image" ] && [ -f "$out/arm64/initramfs.cpio.gz" ] && [ -f "$out/id_ed25519" ]; then
  arm64_todo=0
fi
if [ $x86_todo -eq 0 ] && [ $arm64_todo -eq 0 ]; then
  echo "qemu-board: up to date ($out)"
  exit 0
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/qemu-board.XXXXXX")"
trap 'rm -rf "$work"' EXIT

# --- test key pair (kept across rebuilds so running tests keep working) ------------------------
if [ ! -f "$out/id_ed25519" ] || [ ! -f "$out/id_ed25519.pub" ]; then
  rm -f "$out/id_ed25519" "$out/id_ed25519.pub"
  ssh-keygen -q -t ed25519 -N '' -C 'devicetest-qemu-board-test-key' -f "$out/id_ed25519"
  x86_todo=1 # both boards carry the public key
  arm64_todo=$arm64
fi
chmod 600 "$out/id_ed25519"

# --- root filesystem, the same for both boards ----------------------------------------------------
# make_root <root> <busybox to copy> <console tty>
make_root() {
  local root="$1" board_busybox="$2" tty="$3"
  mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,usr/lib,etc/dropbear,proc,sys,dev,tmp,run,var/log,root/.ssh,home/tester,lib/modules,mnt}
  ln -s ../run "$root/var/run"
  # the kernel opens /dev/console for /init before devtmpfs is mounted
  mknod -m 600 "$root/dev/console" c 5 1 2>/dev/null || echo "qemu-board: warning: cannot mknod dev/console (not root); early boot output may be lost" >&2
  mknod -m 666 "$root/dev/null" c 1 3 2>/dev/null || true
  chmod 1777 "$root/tmp"
  cp "$board_busybox" "$root/bin/busybox"
  # the host's busybox-static lists the applets (the arm64 one cannot run here; same Debian version and config)
  "$busybox" --list-full | while read -r applet; do
    [ "$applet" = "bin/busybox" ] && continue
    [ -e "$root/$applet" ] || ln -s /bin/busybox "$root/$applet"
  done

  # users: root/root, tester/tester
  local hash_root hash_tester
  hash_root="$("$busybox" mkpasswd -m sha512 root)"
  hash_tester="$("$busybox" mkpasswd -m sha512 tester)"
  cat > "$root/etc/passwd" <<EOF
root:x:0:0:root:/root:/bin/sh
tester:x:1000:1000:tester:/home/tester:/bin/sh
EOF
  cat > "$root/etc/shadow" <<EOF
root:$hash_root:19000:0:99999:7:::
tester:$hash_tester:19000:0:99999:7:::
EOF
  chmod 600 "$root/etc/shadow"
  cat > "$root/etc/group" <<EOF
root:x:0:
tty:x:5:
tester:x:1000:
EOF
  printf '/bin/sh\n/bin/ash\n' > "$root/etc/shells"
  echo devicetest-qemu > "$root/etc/hostname"
  printf '127.0.0.1 localhost\n127.0.1.1 devicetest-qemu\n' > "$root/etc/hosts"
  printf 'nameserver 10.0.2.3\n' > "$root/etc/resolv.conf"
  printf 'DeviceTest QEMU board\n' > "$root/etc/issue"
  chmod 700 "$root/root" "$root/root/.ssh"
  cp "$out/id_ed25519.pub" "$root/root/.ssh/authorized_keys"
  chmod 600 "$root/root/.ssh/authorized_keys"
  chmod 755 "$root/home/tester"

  cat > "$root/etc/profile" <<'EOF'
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
if [ "$(id -u)" = 0 ]; then export HOME=/root PS1='/ # '; else PS1='$ '; fi
EOF

  dropbearkey -t ed25519 -f "$root/etc/dropbear/dropbear_ed25519_host_key" >/dev/null 2>&1
  dropbearkey -t ecdsa -f "$root/etc/dropbear/dropbear_ecdsa_host_key" >/dev/null 2>&1

  # /init: mounts, modules, network, dropbear, then busybox init runs the console shell (respawned)
  sed "s/@TTY@/$tty/g" > "$root/init" <<'EOF'
#!/bin/sh
export PATH=/usr/sbin:/usr/bin:/sbin:/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mkdir -p /dev/pts /dev/shm
mount -t devpts -o gid=5,mode=620,ptmxmode=666 devpts /dev/pts
mount -t tmpfs -o mode=1777 tmpfs /tmp
mount -t tmpfs -o mode=755 tmpfs /run
echo 0 > /proc/sys/kernel/printk 2>/dev/null
while read -r m; do insmod "/lib/modules/$m.ko" || echo "devicetest: insmod $m failed" > /dev/console; done < /etc/modules
hostname -F /etc/hostname
ip link set lo up
ip addr add 127.0.0.1/8 dev lo 2>/dev/null
if [ -e /sys/class/net/eth0 ]; then
  ip link set eth0 up
  ip addr add 10.0.2.15/24 dev eth0
  ip route add default via 10.0.2.2
fi
dropbear -r /etc/dropbear/dropbear_ed25519_host_key -r /etc/dropbear/dropbear_ecdsa_host_key -p 22 -P /run/dropbear.pid
if grep -q 'devicetest.login=1' /proc/cmdline; then
  console='::respawn:/sbin/getty -L 115200 @TTY@ vt100'
elif grep -q 'devicetest.jobs=0' /proc/cmdline; then
  # on /dev/console, and not a login shell ('-', which busybox init makes the terminal's controller): no
  # controlling terminal, "can't access tty; job control turned off"
  console='::respawn:/bin/sh'
else
  console='@TTY@::respawn:-/bin/sh'
fi
# a second root shell on the first virtual terminal: what the keyboard types and the screen shows
vt=''
[ -e /dev/tty1 ] && vt='tty1::respawn:-/bin/sh'
cat > /etc/inittab <<INITTAB
::sysinit:/bin/echo DeviceTest QEMU board ready
$console
$vt
::ctrlaltdel:/sbin/reboot
::shutdown:/bin/sync
INITTAB
cd /
exec /sbin/init
EOF
  chmod 755 "$root/init"
}

# add_module <root> <name> <.ko path>: decompressed, so busybox insmod loads it
add_module() {
  local root="$1" m="$2" src="$3"
  case "$src" in
    *.ko) cp "$src" "$root/lib/modules/$m.ko" ;;
    *.ko.xz) xz -dc "$src" > "$root/lib/modules/$m.ko" ;;
    *.ko.zst) zstd -qdc "$src" > "$root/lib/modules/$m.ko" ;;
    *.ko.gz) gzip -dc "$src" > "$root/lib/modules/$m.ko" ;;
    *) die "unknown module format: $src" ;;
  esac
  echo "$m" >> "$root/etc/modules"
}

# pack <root> <initramfs file>
pack() {
  (cd "$1" && find . -print0 | sort -z | cpio --null -o -H newc --owner=0:0 --quiet) | gzip -9n > "$2"
}

# --- the x86_64 board ---------------------------------------------------------------------------
build_x86() {
  local root="$work/root"
  make_root "$root" "$busybox" ttyS0

  # dynamically linked programs with the libraries ldd names, and the loader
  copy_with_libs() { # <program> <destination in root>
    local prog="$1" dest="$2"
    mkdir -p "$root/$(dirname "$dest")"
    cp -L "$prog" "$root/$dest"
    ldd "$prog" | awk '/=>/ { print $3 } !/=>/ && $1 ~ /^\// { print $1 }' | while read -r lib; do
      [ -n "$lib" ] && [ -e "$lib" ] || continue
      mkdir -p "$root$(dirname "$lib")"
      [ -e "$root$lib" ] || cp -L "$lib" "$root$lib"
    done
  }
  copy_with_libs "$dropbear" /usr/sbin/dropbear
  if [ -x "$sftp_server" ]; then
    copy_with_libs "$sftp_server" /usr/lib/sftp-server
    mkdir -p "$root/usr/lib/openssh" && ln -s ../sftp-server "$root/usr/lib/openssh/sftp-server"
  fi
  # Debian's loader path is /lib64/ld-linux-x86-64.so.2; merged-/usr hosts name it through /lib64 -> usr/lib64
  [ -e "$root/lib64/ld-linux-x86-64.so.2" ] || die "the loader was not copied (ldd output changed?)"

  : > "$root/etc/modules"
  local m rel
  for m in "${modules[@]}"; do
    if grep -Eq "/${m//_/[-_]}\.ko(\.[a-z]+)?$" "$moddir/modules.builtin"; then
      continue # built into this kernel
    fi
    rel="$(grep -E "(^|/)${m//_/[-_]}\.ko(\.[a-z]+)?:" "$moddir/modules.dep" | cut -d: -f1 || true)"
    [ -n "$rel" ] || die "module $m is neither built in nor in $moddir/modules.dep"
    add_module "$root" "$m" "$moddir/$rel"
  done

  pack "$root" "$work/initramfs.cpio.gz"
  cp "$kernel" "$work/vmlinuz"
  mv -f "$work/initramfs.cpio.gz" "$out/initramfs.cpio.gz"
  mv -f "$work/vmlinuz" "$out/vmlinuz"
  chmod 644 "$out/vmlinuz" "$out/initramfs.cpio.gz"
  echo "$kver" > "$out/kernel-version"
  echo "$stamp" > "$out/.stamp"
  echo "qemu-board: built $out (kernel $kver, $(du -h "$out/initramfs.cpio.gz" | cut -f1) initramfs)"
}

# --- the arm64 board ----------------------------------------------------------------------------
build_arm64() {
  local root="$work/root-arm64"
  make_root "$root" "$sysroot/bin/busybox" ttyAMA0

  # dropbear with the libraries its ELF headers name (recursively), found in the sysroot; ldd cannot run it
  local queue=(usr/sbin/dropbear) seen=" " f needed lib dir found
  mkdir -p "$root/usr/sbin"
  cp -L "$sysroot/usr/sbin/dropbear" "$root/usr/sbin/dropbear"
  local interp
  interp="$(readelf -lW "$sysroot/usr/sbin/dropbear" | sed -n 's/.*Requesting program interpreter: \(.*\)]/\1/p')"
  [ "$interp" = /lib/ld-linux-aarch64.so.1 ] || die "unexpected arm64 loader '$interp' in $sysroot/usr/sbin/dropbear"
  mkdir -p "$root/lib/aarch64-linux-gnu"
  cp -L "$sysroot/lib/aarch64-linux-gnu/ld-linux-aarch64.so.1" "$root/lib/aarch64-linux-gnu/"
  ln -s aarch64-linux-gnu/ld-linux-aarch64.so.1 "$root/lib/ld-linux-aarch64.so.1"
  while [ ${#queue[@]} -gt 0 ]; do
    f="${queue[0]}"
    queue=("${queue[@]:1}")
    for needed in $(readelf -dW "$sysroot/$f" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'); do
      case "$seen" in *" $needed "*) continue ;; esac
      seen="$seen$needed "
      found=""
      for dir in lib/aarch64-linux-gnu usr/lib/aarch64-linux-gnu; do
        if [ -e "$sysroot/$dir/$needed" ]; then found="$dir/$needed"; break; fi
      done
      [ -n "$found" ] || die "arm64: $needed (needed by $f) is not in $sysroot (add its package to install.sh)"
      mkdir -p "$root/$(dirname "$found")"
      [ -e "$root/$found" ] || cp -L "$sysroot/$found" "$root/$found"
      queue+=("$found")
    done
  done

  # modules: the package has no modules.dep (depmod runs at install), so find each .ko by name
  : > "$root/etc/modules"
  local m ko
  for m in "${modules[@]}"; do
    if grep -Eq "/${m//_/[-_]}\.ko(\.[a-z]+)?$" "$amoddir/modules.builtin"; then
      continue # built into this kernel
    fi
    ko="$(find "$amoddir/kernel" -regextype posix-extended -regex ".*/${m//_/[-_]}\.ko(\.[a-z]+)?" | head -n 1)"
    [ -n "$ko" ] || die "arm64: module $m is neither built in nor under $amoddir/kernel"
    add_module "$root" "$m" "$ko"
  done

  mkdir -p "$out/arm64"
  pack "$root" "$work/initramfs-arm64.cpio.gz"
  # QEMU's -kernel loads an arm64 Image; Debian ships it uncompressed, but accept a gzipped one too
  if [ "$(head -c 2 "$akernel" | od -An -tx1 | tr -d ' ')" = "1f8b" ]; then
    gzip -dc "$akernel" > "$work/Image"
  else
    cp "$akernel" "$work/Image"
  fi
  mv -f "$work/initramfs-arm64.cpio.gz" "$out/arm64/initramfs.cpio.gz"
  mv -f "$work/Image" "$out/arm64/Image"
  chmod 644 "$out/arm64/Image" "$out/arm64/initramfs.cpio.gz"
  echo "$akver" > "$out/arm64/kernel-version"
  echo "$astamp" > "$out/arm64/.stamp"
  echo "qemu-board: built $out/arm64 (kernel $akver, $(du -h "$out/arm64/initramfs.cpio.gz" | cut -f1) initramfs)"
}

[ $x86_todo -eq 1 ] && build_x86
[ $arm64_todo -eq 1 ] && build_arm64
exit 0
