#!/bin/bash
# Builds the deploy tarball the launch templates download: bin/archlab-api, bin/archlab-worker and
# their systemd units. Upload it to the artifacts bucket under the key given to the stack.
# Usage: real/deploy/package.sh BUILD_DIR OUTPUT.tar.gz
# BUILD_DIR is a CMake build of this repository made on Debian 12 amd64 (the AMI's release and
# architecture: the binaries link Debian 12's shared libraries, and the sandbox's seccomp filter is
# written for x86-64 system calls).
set -euo pipefail

fail() { echo "package.sh: $*" >&2; exit 2; }

[[ $# -eq 2 ]] || fail "usage: package.sh BUILD_DIR OUTPUT.tar.gz"
build_dir=$1
output=$2
here=$(cd "$(dirname "$0")" && pwd)
[[ -d $build_dir ]] || fail "build directory '$build_dir' does not exist"
[[ $output == *.tar.gz ]] || fail "output '$output' must end in .tar.gz"

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
chmod 0755 "$stage"  # the root entry sets /opt/archlab's mode when unpacked
mkdir -p "$stage/bin" "$stage/systemd"

for program in archlab-api archlab-worker; do
  binary="$build_dir/real/${program#archlab-}/$program"
  [[ -f $binary && -x $binary ]] || fail "$binary not found or not executable (build the target $program first)"
  # ELF header: magic at 0, e_machine (2 bytes, little endian) at 18; 0x3e is x86-64.
  magic=$(od -An -tx1 -N4 "$binary" | tr -d ' \n')
  machine=$(od -An -tx1 -j18 -N2 "$binary" | tr -d ' \n')
  [[ $magic == 7f454c46 ]] || fail "$binary is not an ELF executable"
  [[ $machine == 3e00 ]] || fail "$binary is not x86-64 (e_machine $machine); the stack runs amd64 instances"
  install -m 0755 "$binary" "$stage/bin/$program"
  install -m 0644 "$here/systemd/$program.service" "$stage/systemd/$program.service"
done

version=$(git -C "$here" describe --always --dirty 2>/dev/null || echo unknown)
echo "$version" > "$stage/VERSION"
# Reproducible: same inputs, same bytes (sorted names, fixed owner and time).
tar --sort=name --owner=0 --group=0 --numeric-owner --mtime=@0 -C "$stage" -cf - . | gzip -n > "$output"
echo "package.sh: wrote $output (version $version, sha256 $(sha256sum "$output" | cut -d' ' -f1))"
echo "upload: aws s3 cp $output s3://<ArtifactsBucket>/<ArtifactsKey>"
