# SPDX-License-Identifier: MIT
# Copyright (c) 2026 The neuron driver authors
"""Buffer objects.

map() returns a Python mmap object of the BO's pages (the offset is the
library's BO_INFO answer).  It supports the buffer protocol, so
numpy.frombuffer(bo.map(), dtype) views the BO without a copy; and unlike a
raw pointer it refuses to close while such a view still exists, so a numpy
array can never outlive the mapping it reads.
"""

import ctypes
import mmap

from . import _lib
from ._ctx import Closing
from ._lib import check, lib

_DOMAINS = {"host": _lib.DOMAIN_HOST, "device": _lib.DOMAIN_DEVICE}


class Bo(Closing):
    def __init__(self, dev, size, domain="host", channel=None, nc=None):
        h = ctypes.c_void_p()
        d = _DOMAINS.get(domain, domain)
        if channel is None and nc is None:
            check(lib.neuron_bo_create(dev.handle, size, d, ctypes.byref(h)))
        else:
            if d != _lib.DOMAIN_DEVICE:
                raise ValueError("channel and nc are for device BOs")
            check(lib.neuron_bo_create_dram(dev.handle, size,
                                            _lib.ANY if channel is None else channel,
                                            _lib.ANY if nc is None else nc, ctypes.byref(h)))
        self._setup(dev, h)

    @classmethod
    def _import(cls, dev, fd):
        h = ctypes.c_void_p()
        check(lib.neuron_bo_import(dev.handle, fd, ctypes.byref(h)))
        bo = cls.__new__(cls)
        bo._setup(dev, h)
        return bo

    def _setup(self, dev, h):
        self.dev = dev
        self._h = h
        self._map = None

    @property
    def handle(self):
        # neuron_close() frees the library's BO objects with the device.
        if not self._h or not self.dev._h:
            raise ValueError("BO is closed")
        return self._h

    @property
    def gem_handle(self):
        return lib.neuron_bo_handle(self.handle)

    @property
    def size(self):
        return lib.neuron_bo_size(self.handle)

    @property
    def domain(self):
        return lib.neuron_bo_domain(self.handle)

    @property
    def flags(self):
        return lib.neuron_bo_flags(self.handle)

    def info(self):
        i = _lib.BoInfo()
        check(lib.neuron_bo_info(self.handle, ctypes.byref(i)))
        return {n: getattr(i, n) for n, _ in i._fields_ if n != "pad"}

    def map(self):
        """A read/write mmap object of the whole BO (host BOs); the same on every call."""
        if self._map is None or self._map.closed:
            info = self.info()
            if info["domain"] != _lib.DOMAIN_HOST or not info["mmap_offset"]:
                raise _lib.NeuronError(22, "bo: not a CPU-mappable host BO")
            self._map = mmap.mmap(self.dev.fd, info["size"], mmap.MAP_SHARED,
                                  mmap.PROT_READ | mmap.PROT_WRITE,
                                  offset=info["mmap_offset"])
        return self._map

    def wait(self, timeout=None):
        """Wait until no DMA uses the BO; NeuronError(ETIMEDOUT) if not in time."""
        check(lib.neuron_bo_wait(self.handle, _lib.timeout_ns(timeout)))

    def export(self):
        """A dma-buf fd of the BO (the caller closes it)."""
        fd = ctypes.c_int(-1)
        check(lib.neuron_bo_export(self.handle, ctypes.byref(fd)))
        return fd.value

    def close(self):
        """Destroy the BO.  BufferError while numpy arrays still view map()."""
        if self._map is not None:
            self._map.close()
            self._map = None
        if self._h and self.dev._h:
            h, self._h = self._h, None
            check(lib.neuron_bo_destroy(h))
        self._h = None

