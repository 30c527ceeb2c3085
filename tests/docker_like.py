"""Run a command as Docker's default seccomp profile would let it: no new namespace.

    python tests/docker_like.py COMMAND [ARGS...]

Installs a seccomp filter that refuses what Docker's default profile refuses to a process
without CAP_SYS_ADMIN and that the sandbox would otherwise use: ``unshare``, ``setns``,
``mount``, ``umount2``, ``pivot_root`` (EPERM), ``clone`` with any ``CLONE_NEW*`` flag (EPERM)
and ``clone3`` (ENOSYS, as Docker answers it), then executes the command.  With ``setpriv``'s
Docker capability set in front, this is the image's entry point as ``docker run`` starts it
(for the tests; no container daemon needed).
"""
from __future__ import annotations

import ctypes
import errno
import os
import struct
import sys

# x86_64 numbers; aarch64 in the second column
_NR = {"x86_64": {"unshare": 272, "setns": 308, "mount": 165, "umount2": 166, "pivot_root": 155,
                  "clone": 56, "clone3": 435},
       "aarch64": {"unshare": 97, "setns": 268, "mount": 40, "umount2": 39, "pivot_root": 41,
                   "clone": 220, "clone3": 435}}
_AUDIT = {"x86_64": 0xC000003E, "aarch64": 0xC00000B7}
CLONE_NEW_ANY = 0x00020000 | 0x02000000 | 0x04000000 | 0x08000000 | 0x10000000 | 0x20000000 | 0x40000000 | 0x00000080


def _bpf(code: int, jt: int, jf: int, k: int) -> bytes:
    return struct.pack("=HBBI", code, jt, jf, k & 0xFFFFFFFF)


def program(arch: str) -> bytes:
    ld, jeq, jset, ret = 0x20, 0x15, 0x45, 0x06
    allow, deny = 0x7FFF0000, 0x00050000 | errno.EPERM
    nr = _NR[arch]
    prog = [_bpf(ld, 0, 0, 4), _bpf(jeq, 1, 0, _AUDIT[arch]), _bpf(ret, 0, 0, allow), _bpf(ld, 0, 0, 0)]
    for name in ("unshare", "setns", "mount", "umount2", "pivot_root"):
        prog += [_bpf(jeq, 0, 1, nr[name]), _bpf(ret, 0, 0, deny)]
    prog += [_bpf(jeq, 0, 1, nr["clone3"]), _bpf(ret, 0, 0, 0x00050000 | errno.ENOSYS)]
    prog += [_bpf(jeq, 0, 3, nr["clone"]), _bpf(ld, 0, 0, 16), _bpf(jset, 0, 1, CLONE_NEW_ANY),
             _bpf(ret, 0, 0, deny)]
    prog += [_bpf(ret, 0, 0, allow)]
    return b"".join(prog)


class _Fprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]


def install() -> None:
    arch = {"x86_64": "x86_64", "amd64": "x86_64", "aarch64": "aarch64", "arm64": "aarch64"}[os.uname().machine.lower()]
    code = program(arch)
    buf = ctypes.create_string_buffer(code, len(code))
    fprog = _Fprog(len(code) // 8, ctypes.cast(buf, ctypes.c_void_p))
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_void_p, ctypes.c_ulong, ctypes.c_ulong]
    if libc.prctl(38, 1, None, 0, 0) != 0 or libc.prctl(22, 2, ctypes.addressof(fprog), 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "seccomp")


if __name__ == "__main__":
    install()
    os.execvp(sys.argv[1], sys.argv[1:])
