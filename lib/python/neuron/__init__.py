# SPDX-License-Identifier: MIT
# Copyright (c) 2026 The neuron driver authors
"""neuron: Python binding of libneuron (AWS Inferentia v1 through the neuron DRM accel driver).

Pure Python over libneuron.so.0 with ctypes.  Reference:
Documentation/neuron/libneuron.rst.
"""

from ._lib import (ANY, BO_IMPORTED, BO_PEER, BO_PEER_WEST, DEVICE_READY, DOMAIN_DEVICE,
                   DOMAIN_HOST, NO_NEIGHBOUR, NQ_ERROR, NQ_EVENT, NQ_NOTIFY, NQ_TRACE,
                   NC_CONTROL_END, NC_CONTROL_START, NC_WINDOW_SIZE, OP_DECR, OP_INCR,
                   OP_SET, STATS_POST_MAX, NeuronError)
from .bo import Bo
from .device import Device, NcOwner, Node, devices, nc_owners, open
from .job import NC_WINDOW, Job, Program, Queue
from .nq import Entry, NotificationQueue
from .sync import Syncobj, sync_file_status, sync_file_wait

__all__ = ["ANY", "BO_IMPORTED", "BO_PEER", "BO_PEER_WEST", "DEVICE_READY", "DOMAIN_DEVICE",
           "DOMAIN_HOST", "NO_NEIGHBOUR", "NQ_ERROR", "NQ_EVENT", "NQ_NOTIFY", "NQ_TRACE",
           "OP_DECR", "OP_INCR", "OP_SET", "STATS_POST_MAX", "NeuronError", "Bo", "Device",
           "Node", "devices", "open", "Job", "Program", "Queue", "Entry",
           "NC_WINDOW", "NC_WINDOW_SIZE", "NC_CONTROL_START", "NC_CONTROL_END", "NcOwner",
           "nc_owners",
           "NotificationQueue", "Syncobj", "sync_file_status", "sync_file_wait"]
