# SPDX-License-Identifier: MIT
# Copyright (c) 2026 The neuron driver authors
"""ctypes declarations of libneuron.so.0: structures, prototypes, errors."""

import ctypes
import ctypes.util
import os

ANY = 0xFFFFFFFF
NO_NEIGHBOUR = 0xFFFFFFFF
DOMAIN_HOST = 0
DOMAIN_DEVICE = 1
BO_IMPORTED, BO_PEER, BO_PEER_WEST = 1, 2, 4
DEVICE_READY, DEVICE_EAST_LINK, DEVICE_WEST_LINK = 1, 2, 4
NQ_TRACE, NQ_NOTIFY, NQ_EVENT, NQ_ERROR = 0, 1, 2, 3
OP_READ, OP_SET, OP_INCR, OP_DECR = 0, 1, 2, 3
DESC_FIRST, DESC_LAST, DESC_DMB = 1, 2, 4
DESC_NC_FIFO = 0xFFFFFFFF
DESC_NC_WINDOW = 0xFFFFFFFE
NC_WINDOW_SIZE = 0x4000000
NC_CONTROL_START, NC_CONTROL_END = 0x2700000, 0x2701400
# libneuron.h's NEURON_NC_WINDOW: a neuron_range's bo naming the NeuronCore window.
NC_WINDOW_PTR = (1 << (8 * ctypes.sizeof(ctypes.c_void_p))) - 1
STATS_POST_MAX = 128
TIMEOUT_INFINITE = -1

u32, u64, i32, i64 = ctypes.c_uint32, ctypes.c_uint64, ctypes.c_int32, ctypes.c_int64
p = ctypes.c_void_p


class NeuronError(OSError):
    """A libneuron failure: errno plus the library's message naming the culprit."""


class NodeInfo(ctypes.Structure):
    _fields_ = [("node", ctypes.c_char * 64), ("pci_addr", ctypes.c_char * 32),
                ("minor", u32), ("pci_vendor", u32), ("pci_device", u32),
                ("pci_revision", u32), ("numa_node", i32), ("core_count", u32),
                ("connected_count", u32), ("connected", u32 * 2),
                ("device_index", u32), ("east", u32), ("west", u32), ("state", u32),
                ("query_error", i32)]


class DeviceInfo(ctypes.Structure):
    _fields_ = [(n, u32) for n in ("arch", "pci_device", "pci_revision", "device_index",
                                   "nc_count", "dma_engines_per_nc", "queues_per_engine",
                                   "dram_channels")] + \
               [("dram_size", u64)] + \
               [(n, u32) for n in ("semaphores_per_nc", "events_per_nc", "fw_status",
                                   "state", "neighbour_count", "east_neighbour",
                                   "west_neighbour", "pad")]


class BoInfo(ctypes.Structure):
    _fields_ = [("handle", u32), ("pad", u32), ("size", u64), ("domain", u32),
                ("flags", u32), ("mmap_offset", u64), ("dram_address", u64)]


class Sync(ctypes.Structure):
    _fields_ = [("handle", u32), ("flags", u32), ("point", u64)]


class Fences(ctypes.Structure):
    _fields_ = [("in_", ctypes.POINTER(Sync)), ("in_count", u32), ("out", Sync),
                ("sync_file", ctypes.POINTER(ctypes.c_int))]


class Range(ctypes.Structure):
    _fields_ = [("bo", p), ("offset", u64), ("length", u64)]


class Desc(ctypes.Structure):
    _fields_ = [("offset", u64), ("bo_index", u32), ("length", u32), ("flags", u32),
                ("pad", u32)]


class NcOwner(ctypes.Structure):
    _fields_ = [("nc", u32), ("owned", i32), ("client_id", u64), ("pid", i32),
                ("comm", ctypes.c_char * 32)]


class NqEntry(ctypes.Structure):
    _fields_ = [("info", u32), ("index", u32), ("value", u32), ("seq", u32)]


def _load():
    """The build tree's library next to this package, else the installed one."""
    env = os.environ.get("LIBNEURON")
    here = os.path.dirname(os.path.abspath(__file__))
    candidates = [env] if env else []
    candidates.append(os.path.join(here, "..", "..", "build", "libneuron.so.0"))
    candidates.append("libneuron.so.0")
    for c in candidates:
        if c and (c == "libneuron.so.0" or os.path.exists(c)):
            try:
                return ctypes.CDLL(c, use_errno=True)
            except OSError:
                continue
    raise ImportError("libneuron.so.0 not found (set LIBNEURON to its path)")


lib = _load()

_PROTOS = {
    "neuron_last_error": (ctypes.c_char_p, []),
    "neuron_list_devices": (ctypes.c_int, [ctypes.POINTER(ctypes.POINTER(NodeInfo))]),
    "neuron_free_devices": (None, [ctypes.POINTER(NodeInfo)]),
    "neuron_open_index": (ctypes.c_int, [u32, ctypes.POINTER(p)]),
    "neuron_open_pci": (ctypes.c_int, [ctypes.c_char_p, ctypes.POINTER(p)]),
    "neuron_open_path": (ctypes.c_int, [ctypes.c_char_p, ctypes.POINTER(p)]),
    "neuron_open_fd": (ctypes.c_int, [ctypes.c_int, ctypes.POINTER(p)]),
    "neuron_close": (None, [p]),
    "neuron_device_fd": (ctypes.c_int, [p]),
    "neuron_query_device_info": (ctypes.c_int, [p, ctypes.POINTER(DeviceInfo)]),
    "neuron_query": (ctypes.c_int, [p, u32, p, ctypes.POINTER(u32)]),
    "neuron_bo_create": (ctypes.c_int, [p, u64, u32, ctypes.POINTER(p)]),
    "neuron_bo_create_dram": (ctypes.c_int, [p, u64, u32, u32, ctypes.POINTER(p)]),
    "neuron_bo_destroy": (ctypes.c_int, [p]),
    "neuron_bo_handle": (u32, [p]),
    "neuron_bo_size": (u64, [p]),
    "neuron_bo_domain": (u32, [p]),
    "neuron_bo_flags": (u32, [p]),
    "neuron_bo_info": (ctypes.c_int, [p, ctypes.POINTER(BoInfo)]),
    "neuron_bo_wait": (ctypes.c_int, [p, i64]),
    "neuron_bo_export": (ctypes.c_int, [p, ctypes.POINTER(ctypes.c_int)]),
    "neuron_bo_import": (ctypes.c_int, [p, ctypes.c_int, ctypes.POINTER(p)]),
    "neuron_copy": (ctypes.c_int, [p, u64, p, u64, u64, u32, ctypes.POINTER(Fences)]),
    "neuron_fill": (ctypes.c_int, [p, u64, u64, ctypes.c_uint8, u32, ctypes.POINTER(Fences)]),
    "neuron_syncobj_create": (ctypes.c_int, [p, ctypes.c_int, ctypes.POINTER(u32)]),
    "neuron_syncobj_destroy": (ctypes.c_int, [p, u32]),
    "neuron_syncobj_wait": (ctypes.c_int, [p, u32, u64, i64]),
    "neuron_syncobj_query": (ctypes.c_int, [p, u32, ctypes.POINTER(u64)]),
    "neuron_syncobj_status": (ctypes.c_int, [p, u32, u64]),
    "neuron_syncobj_export_sync_file": (ctypes.c_int, [p, u32, u64, ctypes.POINTER(ctypes.c_int)]),
    "neuron_syncobj_import_sync_file": (ctypes.c_int, [p, u32, u64, ctypes.c_int]),
    "neuron_sync_file_wait": (ctypes.c_int, [ctypes.c_int, i64]),
    "neuron_sync_file_status": (ctypes.c_int, [ctypes.c_int]),
    "neuron_queue_create": (ctypes.c_int, [p, u32, u32, u32, ctypes.POINTER(u32)]),
    "neuron_queue_destroy": (ctypes.c_int, [p, u32]),
    "neuron_job_create": (ctypes.c_int, [ctypes.POINTER(p)]),
    "neuron_job_destroy": (None, [p]),
    "neuron_job_reset": (None, [p]),
    "neuron_job_transfer": (ctypes.c_int, [p, ctypes.POINTER(Range), u32,
                                           ctypes.POINTER(Range), u32]),
    "neuron_job_copy": (ctypes.c_int, [p, p, u64, p, u64, u64]),
    "neuron_job_to_fifo": (ctypes.c_int, [p, u64, p, u64, u64]),
    "neuron_job_to_window": (ctypes.c_int, [p, u64, p, u64, u64]),
    "neuron_job_from_window": (ctypes.c_int, [p, p, u64, u64, u64]),
    "neuron_job_barrier": (ctypes.c_int, [p]),
    "neuron_job_bo_count": (u32, [p]),
    "neuron_job_tx_count": (u32, [p]),
    "neuron_job_rx_count": (u32, [p]),
    "neuron_job_tx": (ctypes.POINTER(Desc), [p]),
    "neuron_job_rx": (ctypes.POINTER(Desc), [p]),
    "neuron_submit": (ctypes.c_int, [p, u32, p, ctypes.POINTER(Fences)]),
    "neuron_program_create": (ctypes.c_int, [p, u32, p, ctypes.POINTER(u32)]),
    "neuron_program_destroy": (ctypes.c_int, [p, u32]),
    "neuron_submit_program": (ctypes.c_int, [p, u32, u32, ctypes.POINTER(Fences)]),
    "neuron_nq_open": (ctypes.c_int, [p, u32, u32, u32, u32, ctypes.POINTER(p)]),
    "neuron_nq_close": (None, [p]),
    "neuron_nq_fd": (ctypes.c_int, [p]),
    "neuron_nq_size": (u32, [p]),
    "neuron_nq_ring": (p, [p]),
    "neuron_nq_written": (ctypes.c_int, [p, ctypes.POINTER(u64)]),
    "neuron_nq_read": (ctypes.c_int, [p, ctypes.POINTER(NqEntry), u32, ctypes.POINTER(u64)]),
    "neuron_nq_ack": (ctypes.c_int, [p]),
    "neuron_nq_wait": (ctypes.c_int, [p, i64]),
    "neuron_semaphore_read": (ctypes.c_int, [p, u32, u32, ctypes.POINTER(i32)]),
    "neuron_semaphore_write": (ctypes.c_int, [p, u32, u32, u32, i32]),
    "neuron_event_read": (ctypes.c_int, [p, u32, u32, ctypes.POINTER(u32)]),
    "neuron_event_set": (ctypes.c_int, [p, u32, u32, u32]),
    "neuron_fwio_read": (ctypes.c_int, [p, ctypes.POINTER(u64), ctypes.POINTER(u32), u32]),
    "neuron_stats_post": (ctypes.c_int, [p, ctypes.c_char_p, u32]),
    "neuron_reset": (ctypes.c_int, [p]),
    "neuron_nc_acquire": (ctypes.c_int, [p, u32]),
    "neuron_nc_release": (ctypes.c_int, [p, u32]),
    "neuron_nc_reset": (ctypes.c_int, [p, u32]),
    "neuron_nc_owned": (ctypes.c_int, [p, ctypes.POINTER(u32)]),
    "neuron_read_nc_owners": (ctypes.c_int, [u32, ctypes.POINTER(NcOwner), u32]),
    "neuron_nc_owners": (ctypes.c_int, [p, ctypes.POINTER(NcOwner), u32]),
}

for _name, (_res, _args) in _PROTOS.items():
    _f = getattr(lib, _name)
    _f.restype = _res
    _f.argtypes = _args


def check(ret):
    """Raise NeuronError for a negative errno; return the value otherwise."""
    if ret < 0:
        msg = lib.neuron_last_error().decode(errors="replace")
        raise NeuronError(-ret, msg)
    return ret


def timeout_ns(seconds):
    """None waits for ever; seconds (float) otherwise."""
    return TIMEOUT_INFINITE if seconds is None else max(0, int(seconds * 1e9))
