# real.deploy.package: package.sh makes the tarball the user data unpacks (bin/, systemd/, VERSION),
# from stand-in binaries (copies of an x86-64 ELF), and refuses a missing or foreign binary (exit 2).
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import unittest

DEPLOY = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SCRIPT = os.path.join(DEPLOY, "package.sh")
STAND_IN = sys.executable  # an executable ELF of this machine's architecture


def read_bytes(path):
    with open(path, "rb") as handle:
        return handle.read()


class PackageTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.build = os.path.join(self.tmp.name, "build")
        for program in ["api", "worker"]:
            os.makedirs(os.path.join(self.build, "real", program))
            shutil.copy(STAND_IN, os.path.join(self.build, "real", program, f"archlab-{program}"))
        self.output = os.path.join(self.tmp.name, "archlab-deploy.tar.gz")

    def tearDown(self):
        self.tmp.cleanup()

    def package(self):
        return subprocess.run(["bash", SCRIPT, self.build, self.output], capture_output=True, text=True)

    def test_tarball_layout(self):
        with open(STAND_IN, "rb") as handle:
            if handle.read(20)[18:20] != b"\x3e\x00":
                self.skipTest("this machine is not x86-64: no stand-in binary")
        result = self.package()
        self.assertEqual(result.returncode, 0, result.stderr)
        with tarfile.open(self.output) as tar:
            members = {member.name: member for member in tar.getmembers()}
        for name in ["./bin/archlab-api", "./bin/archlab-worker", "./systemd/archlab-api.service",
                     "./systemd/archlab-worker.service", "./VERSION"]:
            self.assertIn(name, members)
        self.assertEqual(members["./bin/archlab-worker"].mode & 0o777, 0o755)
        self.assertEqual(members["."].mode & 0o777, 0o755, "unpacking would lock /opt/archlab")
        first = read_bytes(self.output)
        self.assertEqual(self.package().returncode, 0)
        self.assertEqual(read_bytes(self.output), first, "the tarball is not reproducible")

    def test_refuses_bad_input(self):
        with open(os.path.join(self.build, "real", "api", "archlab-api"), "r+b") as handle:
            handle.seek(18)
            handle.write(b"\xb7\x00")  # aarch64
        result = self.package()
        self.assertEqual(result.returncode, 2)
        self.assertIn("is not x86-64", result.stderr)
        os.remove(os.path.join(self.build, "real", "worker", "archlab-worker"))
        shutil.copy(STAND_IN, os.path.join(self.build, "real", "api", "archlab-api"))
        result = self.package()
        self.assertEqual(result.returncode, 2)
        self.assertIn("archlab-worker not found", result.stderr)
        result = subprocess.run(["bash", SCRIPT, self.build], capture_output=True, text=True)
        self.assertEqual(result.returncode, 2)
        self.assertIn("usage:", result.stderr)


if __name__ == "__main__":
    unittest.main()
