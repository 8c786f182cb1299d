# SPDX-License-Identifier: MIT
# Copyright (c) 2026 The neuron driver authors
"""The descriptor builder, queues and programs."""

import ctypes

from . import _lib
from ._ctx import Closing
from ._lib import check, lib
from .sync import fences


class _NcWindow:
    """NC_WINDOW: in a range, the whole window of the queue's NeuronCore."""

    def __repr__(self):
        return "neuron.NC_WINDOW"


NC_WINDOW = _NcWindow()


def _bo_ptr(bo):
    if bo is None:
        return None
    if bo is NC_WINDOW:
        return _lib.NC_WINDOW_PTR
    return bo.handle


def _is_bo(bo):
    return bo is not None and bo is not NC_WINDOW


def _ranges(rs):
    arr = (_lib.Range * len(rs))()
    for i, (bo, off, length) in enumerate(rs):
        arr[i].bo = _bo_ptr(bo)
        arr[i].offset, arr[i].length = off, length
    return arr


class Job:
    """Descriptors built from (BO, offset, length) ranges, valid by construction."""

    def __init__(self):
        h = ctypes.c_void_p()
        check(lib.neuron_job_create(ctypes.byref(h)))
        self._h = h
        self._bos = []      # the BOs named stay alive with the job

    def __del__(self):
        if getattr(self, "_h", None):
            lib.neuron_job_destroy(self._h)
            self._h = None

    def transfer(self, src, dst):
        """src, dst: lists of (bo, offset, length); bo None in dst: the NeuronCore FIFO;
        bo NC_WINDOW (either side): the NeuronCore window (owner only)."""
        s, d = _ranges(src), _ranges(dst)
        check(lib.neuron_job_transfer(self._h, s, len(src), d, len(dst)))
        self._bos += [r[0] for r in list(src) + list(dst) if _is_bo(r[0])]
        return self

    def copy(self, dst, dst_offset, src, src_offset, size):
        check(lib.neuron_job_copy(self._h, dst.handle, dst_offset, src.handle, src_offset, size))
        self._bos += [dst, src]
        return self

    def to_fifo(self, fifo_offset, src, src_offset, size):
        check(lib.neuron_job_to_fifo(self._h, fifo_offset, src.handle, src_offset, size))
        self._bos.append(src)
        return self

    def to_window(self, window_offset, src, src_offset, size):
        """size bytes of src into the queue's NeuronCore window at window_offset."""
        check(lib.neuron_job_to_window(self._h, window_offset, src.handle, src_offset, size))
        self._bos.append(src)
        return self

    def from_window(self, dst, dst_offset, window_offset, size):
        """size bytes of the NeuronCore window at window_offset into dst."""
        check(lib.neuron_job_from_window(self._h, dst.handle, dst_offset, window_offset, size))
        self._bos.append(dst)
        return self

    def barrier(self):
        check(lib.neuron_job_barrier(self._h))
        return self

    def reset(self):
        lib.neuron_job_reset(self._h)
        self._bos = []

    @staticmethod
    def _descs(ptr, n):
        return [(ptr[i].bo_index, ptr[i].offset, ptr[i].length, ptr[i].flags) for i in range(n)]

    @property
    def tx(self):
        """[(bo_index, offset, length, flags)] as SUBMIT will get them."""
        return self._descs(lib.neuron_job_tx(self._h), lib.neuron_job_tx_count(self._h))

    @property
    def rx(self):
        return self._descs(lib.neuron_job_rx(self._h), lib.neuron_job_rx_count(self._h))

    @property
    def bo_count(self):
        return lib.neuron_job_bo_count(self._h)


class Queue(Closing):
    """A queue object on DMA queue `queue` of engine `engine` of NeuronCore `nc`."""

    def __init__(self, dev, nc, engine, queue):
        h = ctypes.c_uint32()
        check(lib.neuron_queue_create(dev.handle, nc, engine, queue, ctypes.byref(h)))
        self.dev, self.nc, self.handle = dev, nc, h.value

    def _submit(self, fn, what, wait, signal, sync_file):
        f, keep = fences(wait, signal, sync_file)
        check(fn(self.dev.handle, self.handle, what, ctypes.byref(f)))
        return keep[1].value if sync_file else None

    def submit(self, job, wait=(), signal=None, sync_file=False):
        """Run a Job; returns a sync_file fd if asked (the caller closes it)."""
        return self._submit(lib.neuron_submit, job._h, wait, signal, sync_file)

    def submit_program(self, program, wait=(), signal=None, sync_file=False):
        return self._submit(lib.neuron_submit_program, program.handle, wait, signal,
                            sync_file)

    def close(self):
        if self.handle:
            h, self.handle = self.handle, 0
            check(lib.neuron_queue_destroy(self.dev.handle, h))


class Program(Closing):
    """A job validated once for queues of NeuronCore `nc`."""

    def __init__(self, dev, nc, job):
        h = ctypes.c_uint32()
        check(lib.neuron_program_create(dev.handle, nc, job._h, ctypes.byref(h)))
        self.dev, self.nc, self.handle = dev, nc, h.value

    def close(self):
        if self.handle:
            h, self.handle = self.handle, 0
            check(lib.neuron_program_destroy(self.dev.handle, h))
