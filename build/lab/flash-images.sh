#!/usr/bin/env bash
# Builds the bootable disk images the flash tests write (docs/flash.md) into build/lab/out/flash/, from the lab's
# x86_64 QEMU board (build/lab/qemu-board.sh) and Debian's syslinux, dosfstools, mtools, fdisk, xz-utils, bmap-tools:
#   board-v1.img, board-v2.img   64 MiB raw disks: syslinux's MBR, one bootable FAT partition with SYSLINUX on it,
#                                the lab kernel, and the lab initramfs plus /etc/devicetest-version ("1" or "2");
#                                QEMU boots them from the disk (no -kernel) to the same shell as the lab board
#   board-v2.img.bmap            bmaptool's block map of board-v2.img
#   board-v2.img.xz              board-v2.img compressed with xz (multi-block, as Yocto's xz -T does)
# No mount, no root: the FAT partition is made with mkfs.vfat -C and filled with mtools; syslinux installs with mtools.
# Idempotent: does nothing when its inputs (this script, the board's kernel and initramfs) are unchanged.
# Usage: build/lab/flash-images.sh      (needs: sudo build/lab/install.sh)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="$here/out"
dest="$out/flash"
die() { echo "flash-images: $*" >&2; exit 1; }

bash "$here/qemu-board.sh" >/dev/null
for tool in mkfs.vfat mcopy syslinux sfdisk xz bmaptool cpio; do
  command -v "$tool" >/dev/null || die "no $tool (run: sudo build/lab/install.sh)"
done
mbr=/usr/lib/syslinux/mbr/mbr.bin
[ -f "$mbr" ] || die "no $mbr (syslinux-common; run: sudo build/lab/install.sh)"

stamp="$( { sha256sum "${BASH_SOURCE[0]}"; stat -L -c '%n %s %Y' "$out/vmlinuz" "$out/initramfs.cpio.gz"; } | sha256sum | cut -d' ' -f1)"
mkdir -p "$dest"
exec 9>"$dest/.lock"
flock 9
if [ -f "$dest/.stamp" ] && [ "$(cat "$dest/.stamp")" = "$stamp" ] && [ -f "$dest/board-v2.img.xz" ] && [ -f "$dest/board-v1.img" ]; then
  echo "flash-images: up to date ($dest)"
  exit 0
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/flash-images.XXXXXX")"
trap 'rm -rf "$work"' EXIT

part_sectors=81920     # a 40 MiB FAT partition at 1 MiB
for v in 1 2; do
  root="$work/root-$v"
  mkdir -p "$root/etc"
  echo "$v" > "$root/etc/devicetest-version"
  # the kernel unpacks concatenated cpio archives in order: the lab initramfs, then the version file
  (cd "$root" && find . -print0 | sort -z | cpio --null -o -H newc --owner=0:0 --quiet) | gzip -9n > "$work/version.cpio.gz"
  cat "$out/initramfs.cpio.gz" "$work/version.cpio.gz" > "$work/initrd"
  cat > "$work/syslinux.cfg" <<CFG
SERIAL 0 115200
DEFAULT linux
PROMPT 0
TIMEOUT 0
LABEL linux
  KERNEL vmlinuz
  INITRD initrd
  APPEND console=ttyS0 quiet no_timer_check devicetest.image=$v
CFG
  part="$work/part.img"
  rm -f "$part"
  mkfs.vfat -C -n DTBOOT "$part" $((part_sectors / 2)) >/dev/null
  syslinux --install "$part"
  mcopy -i "$part" "$out/vmlinuz" ::vmlinuz
  mcopy -i "$part" "$work/initrd" ::initrd
  mcopy -i "$part" "$work/syslinux.cfg" ::syslinux.cfg
  disk="$work/board-v$v.img"
  truncate -s 64M "$disk"
  dd if="$mbr" of="$disk" bs=440 count=1 conv=notrunc status=none
  echo "start=2048, size=$part_sectors, type=c, bootable" | sfdisk -q "$disk"
  dd if="$part" of="$disk" bs=1M seek=1 conv=notrunc,sparse status=none
done

bmaptool -q create -o "$work/board-v2.img.bmap" "$work/board-v2.img"
xz -T2 -6 --block-size=4MiB -k -c "$work/board-v2.img" > "$work/board-v2.img.xz"
mv -f "$work"/board-v1.img "$work"/board-v2.img "$work"/board-v2.img.bmap "$work"/board-v2.img.xz "$dest/"
echo "$stamp" > "$dest/.stamp"
echo "flash-images: built $dest ($(du -h --apparent-size "$dest/board-v2.img" | cut -f1) disks, $(du -h "$dest/board-v2.img.xz" | cut -f1) xz)"
