# SPDX-License-Identifier: MIT
# Copyright (c) 2026 The neuron driver authors
"""Discovery and device handles."""

import ctypes
from collections import namedtuple

from . import _lib
from ._ctx import Closing
from ._lib import check, lib

NcOwner = namedtuple("NcOwner", "nc client_id pid comm")

Node = namedtuple("Node", "node pci_addr minor pci_vendor pci_device pci_revision numa_node "
                          "core_count connected device_index east west state query_error")


def devices():
    """Every neuron accel node, sorted by minor (list of Node)."""
    arr = ctypes.POINTER(_lib.NodeInfo)()
    n = check(lib.neuron_list_devices(ctypes.byref(arr)))
    out = []
    for i in range(n):
        e = arr[i]
        out.append(Node(e.node.decode(), e.pci_addr.decode(), e.minor, e.pci_vendor,
                        e.pci_device, e.pci_revision, e.numa_node, e.core_count,
                        tuple(e.connected[:e.connected_count]), e.device_index,
                        e.east, e.west, e.state, e.query_error))
    lib.neuron_free_devices(arr)
    return out


def _owners(arr, n):
    return [NcOwner(arr[i].nc, arr[i].client_id, arr[i].pid, arr[i].comm.decode())
            if arr[i].owned else None for i in range(min(n, len(arr)))]


def nc_owners(minor):
    """Owners of accel node `minor`'s NeuronCores: a list, one per core, of NcOwner
    or None (nobody), from sysfs (no need to open the node)."""
    arr = (_lib.NcOwner * 16)()
    n = check(lib.neuron_read_nc_owners(minor, arr, len(arr)))
    return _owners(arr, n)


def _info_dict(info):
    return {name: getattr(info, name) for name, _ in info._fields_ if name != "pad"}


class Device(Closing):
    """An open neuron device: open(index=N), open(pci="0000:00:04.0") or open(path=...)."""

    def __init__(self, index=None, pci=None, path=None):
        self._h = None      # so that __del__ of a failed open has nothing to close
        h = ctypes.c_void_p()
        if [index, pci, path].count(None) != 2:
            raise ValueError("give exactly one of index, pci, path")
        if index is not None:
            check(lib.neuron_open_index(index, ctypes.byref(h)))
        elif pci is not None:
            check(lib.neuron_open_pci(pci.encode(), ctypes.byref(h)))
        else:
            check(lib.neuron_open_path(path.encode(), ctypes.byref(h)))
        self._h = h
        self.info = self.query_info()

    @property
    def handle(self):
        if not self._h:
            raise ValueError("device is closed")
        return self._h

    def close(self):
        if self._h:
            lib.neuron_close(self._h)
            self._h = None


    def __del__(self):
        self.close()

    @property
    def fd(self):
        return check(lib.neuron_device_fd(self.handle))

    def query_info(self):
        """DEVICE_INFO now, as a dict (fw_status, state, neighbours are live)."""
        info = _lib.DeviceInfo()
        check(lib.neuron_query_device_info(self.handle, ctypes.byref(info)))
        return _info_dict(info)

    # ---- BOs, copies, syncobjs, queues: the classes do the work ----
    def bo(self, size, domain="host", channel=None, nc=None):
        from .bo import Bo
        return Bo(self, size, domain, channel, nc)

    def import_bo(self, dmabuf_fd):
        from .bo import Bo
        return Bo._import(self, dmabuf_fd)

    def syncobj(self, signaled=False):
        from .sync import Syncobj
        return Syncobj(self, signaled)

    def queue(self, nc, engine, queue):
        from .job import Queue
        return Queue(self, nc, engine, queue)

    def program(self, nc, job):
        from .job import Program
        return Program(self, nc, job)

    def nq(self, nc, type, instance=0, size=4096):
        from .nq import NotificationQueue
        return NotificationQueue(self, nc, type, instance, size)

    def copy(self, dst, dst_offset, src, src_offset, size, nc=_lib.ANY, wait=(), signal=None):
        from .sync import fences
        f, _keep = fences(wait, signal, False)
        check(lib.neuron_copy(dst.handle, dst_offset, src.handle, src_offset, size, nc,
                              ctypes.byref(f)))

    def fill(self, bo, offset, size, value, nc=_lib.ANY, wait=(), signal=None):
        from .sync import fences
        f, _keep = fences(wait, signal, False)
        check(lib.neuron_fill(bo.handle, offset, size, value, nc, ctypes.byref(f)))

    # ---- semaphores, events, firmware ----
    def semaphore(self, nc, index):
        v = ctypes.c_int32()
        check(lib.neuron_semaphore_read(self.handle, nc, index, ctypes.byref(v)))
        return v.value

    def semaphore_set(self, nc, index, value, op=_lib.OP_SET):
        check(lib.neuron_semaphore_write(self.handle, nc, index, op, value))

    def event(self, nc, index):
        v = ctypes.c_uint32()
        check(lib.neuron_event_read(self.handle, nc, index, ctypes.byref(v)))
        return v.value

    def event_set(self, nc, index, value):
        check(lib.neuron_event_set(self.handle, nc, index, 1 if value else 0))

    def fwio_read(self, addrs):
        """Read allow-listed device registers; returns a list of ints."""
        n = len(addrs)
        a = (ctypes.c_uint64 * max(n, 1))(*addrs)
        v = (ctypes.c_uint32 * max(n, 1))()
        check(lib.neuron_fwio_read(self.handle, a, v, n))
        return list(v[:n])

    def stats_post(self, blob):
        blob = bytes(blob)
        check(lib.neuron_stats_post(self.handle, blob, len(blob)))

    def reset(self):
        check(lib.neuron_reset(self.handle))

    # ---- NeuronCore ownership ----
    def nc_acquire(self, nc_mask):
        """Own the NeuronCores of nc_mask, all or none (EBUSY if another client owns one)."""
        check(lib.neuron_nc_acquire(self.handle, nc_mask))

    def nc_release(self, nc_mask):
        """Give them back; waits for this handle's jobs on their queues."""
        check(lib.neuron_nc_release(self.handle, nc_mask))

    def nc_reset(self, nc_mask):
        """Reset those NeuronCores only (NeuronError with the ioctl's errno otherwise)."""
        check(lib.neuron_nc_reset(self.handle, nc_mask))

    @property
    def nc_owned(self):
        """The mask of NeuronCores this handle owns."""
        m = ctypes.c_uint32()
        check(lib.neuron_nc_owned(self.handle, ctypes.byref(m)))
        return m.value

    def nc_owners(self):
        """One entry per NeuronCore: NcOwner(nc, client_id, pid, comm) or None."""
        arr = (_lib.NcOwner * 16)()
        n = check(lib.neuron_nc_owners(self.handle, arr, len(arr)))
        return _owners(arr, n)


def open(index=None, pci=None, path=None):  # noqa: A001 - the module's verb
    """Open a device; with no argument, the first one listed."""
    if index is None and pci is None and path is None:
        nodes = devices()
        if not nodes:
            raise _lib.NeuronError(19, "no neuron device")
        path = nodes[0].node
    return Device(index, pci, path)
