# SPDX-License-Identifier: MIT
# Copyright (c) 2026 The neuron driver authors
"""Notification queues."""

import ctypes
import errno
from collections import namedtuple

from . import _lib
from ._ctx import Closing
from ._lib import NeuronError, check, lib

Entry = namedtuple("Entry", "type instance index value seq")


class NotificationQueue(Closing):
    def __init__(self, dev, nc, type, instance=0, size=4096):
        h = ctypes.c_void_p()
        check(lib.neuron_nq_open(dev.handle, nc, type, instance, size, ctypes.byref(h)))
        self.dev, self._h, self.lost, self.restarts = dev, h, 0, 0

    @property
    def size(self):
        return lib.neuron_nq_size(self._h)

    @property
    def fd(self):
        return lib.neuron_nq_fd(self._h)

    @property
    def ring(self):
        """The ring as read-only bytes-like memory (a copy-free memoryview)."""
        arr = (ctypes.c_uint8 * self.size).from_address(lib.neuron_nq_ring(self._h))
        return memoryview(arr).toreadonly()

    @property
    def written(self):
        v = ctypes.c_uint64()
        check(lib.neuron_nq_written(self._h, ctypes.byref(v)))
        return v.value

    def read(self, max_entries=4096):
        """New entries (list of Entry); those overwritten before reading add to .lost.

        When the ring restarted (a device reset), .restarts grows by one, the
        entries the reset took add to .lost, and the list holds the new
        ring's entries."""
        buf = (_lib.NqEntry * max_entries)()
        lost = ctypes.c_uint64()
        try:
            n = check(lib.neuron_nq_read(self._h, buf, max_entries, ctypes.byref(lost)))
        except NeuronError as e:
            if e.errno != errno.ESTALE:
                raise
            self.restarts += 1
            n = check(lib.neuron_nq_read(self._h, buf, max_entries, ctypes.byref(lost)))
        self.lost += lost.value
        return [Entry(e.info & 0xff, (e.info >> 8) & 0xff, e.index, e.value, e.seq)
                for e in buf[:n]]

    def ack(self):
        check(lib.neuron_nq_ack(self._h))

    def wait(self, timeout=None):
        """True when unacknowledged entries are there, False on timeout."""
        return check(lib.neuron_nq_wait(self._h, _lib.timeout_ns(timeout))) == 1

    def close(self):
        if self._h:
            lib.neuron_nq_close(self._h)
            self._h = None
