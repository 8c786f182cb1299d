# SPDX-License-Identifier: MIT
# Copyright (c) 2026 The neuron driver authors
"""Syncobjs, sync_files and the fences of a request."""

import ctypes

from . import _lib
from ._ctx import Closing
from ._lib import check, lib


class Syncobj(Closing):
    """A DRM syncobj: binary (point 0) or timeline."""

    def __init__(self, dev, signaled=False):
        h = ctypes.c_uint32()
        check(lib.neuron_syncobj_create(dev.handle, 1 if signaled else 0, ctypes.byref(h)))
        self.dev = dev
        self.handle = h.value

    def wait(self, point=0, timeout=None):
        check(lib.neuron_syncobj_wait(self.dev.handle, self.handle, point,
                                      _lib.timeout_ns(timeout)))

    def status(self, point=0):
        """1 signalled, 0 pending, or the fence's negative errno."""
        return lib.neuron_syncobj_status(self.dev.handle, self.handle, point)

    def query(self):
        v = ctypes.c_uint64()
        check(lib.neuron_syncobj_query(self.dev.handle, self.handle, ctypes.byref(v)))
        return v.value

    def export_sync_file(self, point=0):
        fd = ctypes.c_int(-1)
        check(lib.neuron_syncobj_export_sync_file(self.dev.handle, self.handle, point,
                                                  ctypes.byref(fd)))
        return fd.value

    def import_sync_file(self, fd, point=0):
        check(lib.neuron_syncobj_import_sync_file(self.dev.handle, self.handle, point, fd))

    def close(self):
        if self.handle:
            h, self.handle = self.handle, 0
            check(lib.neuron_syncobj_destroy(self.dev.handle, h))


def sync_file_wait(fd, timeout=None):
    check(lib.neuron_sync_file_wait(fd, _lib.timeout_ns(timeout)))


def sync_file_status(fd):
    """1 signalled, 0 pending, or the fence's negative errno."""
    return lib.neuron_sync_file_status(fd)


def _point(x):
    return (x, 0) if isinstance(x, Syncobj) else x


def fences(wait, signal, want_sync_file):
    """A Fences structure and the ctypes objects it points into (keep both)."""
    waits = [_point(w) for w in wait]
    arr = (_lib.Sync * max(len(waits), 1))()
    for i, (s, pt) in enumerate(waits):
        arr[i].handle, arr[i].point = s.handle, pt
    f = _lib.Fences()
    f.in_ = ctypes.cast(arr, ctypes.POINTER(_lib.Sync)) if waits else None
    f.in_count = len(waits)
    if signal is not None:
        s, pt = _point(signal)
        f.out.handle, f.out.point = s.handle, pt
    out_fd = ctypes.c_int(-1)
    if want_sync_file:
        f.sync_file = ctypes.pointer(out_fd)
    return f, (arr, out_fd)
