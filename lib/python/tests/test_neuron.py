# SPDX-License-Identifier: MIT
# Copyright (c) 2026 The neuron driver authors
"""Tests of the Python binding, run in the VM (lib/tests/run).

Prints one line per test, then exactly "N passed, N failed, N skipped".
"""

import errno
import os
import struct
import subprocess
import sys
import unittest

import numpy

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import neuron  # noqa: E402

# The model's NeuronCore records (hw/v1/nc_model.h): magic | op, a, b, c.
NC_OP_MAGIC, NC_OP_NOTIFY, NC_OP_ERROR = 0x4E430000, 1, 3
# Device addresses (hw/v1/address_map.h, fwio_regs.h).
FW_STATUS = 0x0FFFF0000000 + 0x78E000 + 0x1C


def record(op, a, b, c=0):
    return struct.pack("<4I", NC_OP_MAGIC | op, a, b, c)


class T(unittest.TestCase):
    def setUp(self):
        self.dev = neuron.open()

    def tearDown(self):
        self.dev.close()

    def test_devices(self):
        nodes = neuron.devices()
        want = os.environ.get("NEURON_DEVICES")
        if want:
            self.assertEqual(len(nodes), int(want))
        self.assertEqual([n.minor for n in nodes], sorted(n.minor for n in nodes))
        for n in nodes:
            self.assertEqual(n.pci_vendor, 0x1D0F)
            self.assertEqual(n.query_error, 0)
            link = os.readlink("/sys/class/accel/accel%d/device" % n.minor)
            self.assertEqual(os.path.basename(link), n.pci_addr)
            with neuron.Device(index=n.device_index) as d:
                self.assertEqual(d.info["device_index"], n.device_index)
                self.assertEqual(d.info["pci_device"], n.pci_device)
                self.assertEqual(d.info["east_neighbour"], n.east)
            with neuron.Device(pci=n.pci_addr) as d:
                self.assertEqual(d.info["device_index"], n.device_index)

    def test_errors(self):
        with self.assertRaises(neuron.NeuronError) as e:
            neuron.Device(index=9999)
        self.assertEqual(e.exception.errno, errno.ENODEV)
        self.assertIn("index 9999", e.exception.strerror)
        with self.assertRaises(neuron.NeuronError) as e:
            self.dev.bo(0)
        self.assertEqual(e.exception.errno, errno.EINVAL)
        self.assertIn("size", e.exception.strerror)
        with self.assertRaises(neuron.NeuronError) as e:
            self.dev.queue(nc=9, engine=0, queue=0)
        self.assertIn("nc", e.exception.strerror)
        with self.assertRaises(neuron.NeuronError) as e:
            self.dev.bo(4096, "device").map()
        self.assertEqual(e.exception.errno, errno.EINVAL)
        s = self.dev.syncobj()
        with self.assertRaises(neuron.NeuronError) as e:
            s.wait(timeout=0.05)
        self.assertEqual(e.exception.errno, errno.ETIMEDOUT)

    def test_numpy_view(self):
        src, dst = self.dev.bo(1 << 20), self.dev.bo(1 << 20)
        dram = self.dev.bo(1 << 20, "device", channel=1)
        a = numpy.frombuffer(src.map(), dtype=numpy.uint32)
        self.assertEqual(a.size, (1 << 20) // 4)
        a[:] = numpy.arange(a.size, dtype=numpy.uint32) * 2654435761
        b = numpy.frombuffer(dst.map(), dtype=numpy.uint32)
        b[:] = 0
        self.dev.copy(dram, 0, src, 0, src.size)
        self.dev.copy(dst, 0, dram, 0, dst.size)
        dst.wait(timeout=10)
        self.assertTrue(numpy.array_equal(a, b))
        # The mapping cannot go while numpy still views it.
        with self.assertRaises(BufferError):
            src.close()
        del a
        src.close()
        self.dev.fill(dst, 8, 16, 0xAB)
        dst.wait()
        self.assertEqual(bytes(dst.map()[:32]),
                         bytes(b[:2].tobytes()) + b"\xab" * 16 + bytes(b[6:8].tobytes()))

    def test_job_fences(self):
        src, dst = self.dev.bo(300000), self.dev.bo(300000)
        dram = self.dev.bo(300000, "device")
        src.map()[:] = os.urandom(src.size)
        q = self.dev.queue(nc=1, engine=2, queue=3)
        tl = self.dev.syncobj()
        j1 = neuron.Job().transfer([(src, 0, 100000), (src, 200000, 100000)],
                                   [(dram, 7, 200000)])
        self.assertGreater(len(j1.tx), 2)
        self.assertEqual(sum(d[2] for d in j1.tx), 200000)
        self.assertEqual(j1.bo_count, 2)
        q.submit(j1, signal=(tl, 1))
        j2 = neuron.Job().copy(dst, 0, dram, 7, 200000)
        fd = q.submit(j2, wait=[(tl, 1)], signal=(tl, 2), sync_file=True)
        neuron.sync_file_wait(fd, timeout=10)
        self.assertEqual(neuron.sync_file_status(fd), 1)
        os.close(fd)
        tl.wait(point=2, timeout=10)
        self.assertEqual(tl.query(), 2)
        self.assertEqual(tl.status(2), 1)
        m = src.map()
        self.assertEqual(dst.map()[:200000], m[:100000] + m[200000:300000])
        q.close()

    def test_program(self):
        src, dst = self.dev.bo(65536), self.dev.bo(65536)
        dram = self.dev.bo(65536, "device")
        job = neuron.Job().copy(dram, 0, src, 0, 65536).barrier().copy(dst, 0, dram, 0, 65536)
        self.assertEqual(job.tx[1][3] & 4, 4)   # DMB on the second packet
        prog = self.dev.program(2, job)
        q = self.dev.queue(nc=2, engine=0, queue=7)
        s = self.dev.syncobj()
        for run in range(3):
            data = bytes([run]) * 100 + os.urandom(65436)
            src.map()[:] = data
            q.submit_program(prog, signal=s)
            s.wait(timeout=10)
            self.assertEqual(s.status(), 1)
            self.assertEqual(dst.map()[:], data)
        prog.close()
        with self.assertRaises(neuron.NeuronError) as e:
            q.submit_program(prog)
        self.assertEqual(e.exception.errno, errno.EINVAL)

    def test_nq_and_fence_error(self):
        nq = self.dev.nq(nc=0, type=neuron.NQ_NOTIFY, instance=3, size=4096)
        self.assertFalse(nq.wait(timeout=0))
        bo = self.dev.bo(4096)
        bo.map()[:48] = b"".join(record(NC_OP_NOTIFY, 3, i, 500 + i) for i in range(3))
        q = self.dev.queue(nc=0, engine=1, queue=9)
        s = self.dev.syncobj()
        q.submit(neuron.Job().to_fifo(0, bo, 0, 48), signal=s)
        s.wait(timeout=10)
        self.assertTrue(nq.wait(timeout=10))
        self.assertEqual(nq.written, 3)
        got = nq.read()
        self.assertEqual([(e.type, e.instance, e.index, e.value) for e in got],
                         [(neuron.NQ_NOTIFY, 3, i, 500 + i) for i in range(3)])
        self.assertEqual(bytes(nq.ring[:4]), struct.pack("<I", got[0].type | 3 << 8 | 1 << 31))
        nq.ack()
        self.assertFalse(nq.wait(timeout=0.02))
        nq.close()
        # Closed: the queue can be opened again (here as a context manager).
        with self.dev.nq(nc=0, type=neuron.NQ_NOTIFY, instance=3, size=8192) as nq2:
            self.assertEqual(nq2.size, 8192)
            self.assertEqual(nq2.written, 0)
        # An ERROR record fails the job with -EIO; its queue is then guilty.
        bo.map()[:16] = record(NC_OP_ERROR, 5, 6)
        q.submit(neuron.Job().to_fifo(0, bo, 0, 16), signal=s)
        s.wait(timeout=10)
        self.assertEqual(s.status(), -errno.EIO)
        with self.assertRaises(neuron.NeuronError) as e:
            q.submit(neuron.Job().to_fifo(0, bo, 0, 16))
        self.assertEqual(e.exception.errno, errno.ECANCELED)

    def test_nq_reset(self):
        """After a device reset .read() counts the restart and returns the new ring's entries."""
        if os.geteuid() != 0:
            self.skipTest("not root")
        nq = self.dev.nq(nc=2, type=neuron.NQ_NOTIFY, instance=1, size=4096)
        bo = self.dev.bo(4096)

        def post(values):
            bo.map()[:16 * len(values)] = b"".join(record(NC_OP_NOTIFY, 1, i, v)
                                                  for i, v in enumerate(values))
            s = self.dev.syncobj()
            with self.dev.queue(nc=2, engine=1, queue=8) as q:
                q.submit(neuron.Job().to_fifo(0, bo, 0, 16 * len(values)), signal=s)
                s.wait(timeout=10)
            self.assertEqual(s.status(), 1)
            self.assertTrue(nq.wait(timeout=10))

        post([10, 11])
        self.assertEqual([e.value for e in nq.read(1)], [10])
        self.dev.reset()
        post([20, 21, 22])
        got = nq.read()
        self.assertEqual(nq.restarts, 1)
        self.assertEqual(nq.lost, 1)
        self.assertEqual([(e.value, e.seq) for e in got], [(20, 0), (21, 1), (22, 2)])
        self.assertEqual(nq.read(), [])
        self.assertEqual(nq.restarts, 1)
        nq.ack()
        self.assertFalse(nq.wait(timeout=0.02))
        nq.close()

    def test_firmware(self):
        self.dev.semaphore_set(3, 9, 70)
        self.dev.semaphore_set(3, 9, 5, neuron.OP_INCR)
        self.assertEqual(self.dev.semaphore(3, 9), 75)
        self.dev.event_set(2, 17, 1)
        self.assertEqual(self.dev.event(2, 17), 1)
        self.dev.event_set(2, 17, 0)
        self.assertEqual(self.dev.event(2, 17), 0)
        info = self.dev.query_info()
        self.assertEqual(self.dev.fwio_read([FW_STATUS] * 3), [info["fw_status"]] * 3)
        with self.assertRaises(neuron.NeuronError) as e:
            self.dev.fwio_read([0])
        self.assertEqual(e.exception.errno, errno.EACCES)
        self.dev.stats_post(b"\x01\x02\xaa\xbb")
        with self.assertRaises(neuron.NeuronError):
            self.dev.stats_post(b"x" * (neuron.STATS_POST_MAX + 1))

    def test_prime(self):
        src = self.dev.bo(8192)
        src.map()[:] = os.urandom(8192)
        fd = src.export()
        with neuron.Device(index=self.dev.info["device_index"]) as other:
            imp = other.import_bo(fd)
            self.assertEqual(imp.size, 8192)
            out = other.bo(8192)
            other.copy(out, 0, imp, 0, 8192)
            out.wait(timeout=10)
            self.assertEqual(out.map()[:], src.map()[:])
            out.close()
            imp.close()
        os.close(fd)

    def test_nc_ownership(self):
        other = neuron.Device(path=neuron.devices()[0].node)
        try:
            self.assertEqual(self.dev.nc_owned, 0)
            self.dev.nc_acquire(0x3)
            self.dev.nc_acquire(0x1)            # again: fine
            self.assertEqual(self.dev.nc_owned, 0x3)
            with self.assertRaises(neuron.NeuronError) as e:
                other.nc_acquire(0x6)
            self.assertEqual(e.exception.errno, errno.EBUSY)
            self.assertEqual(other.nc_owned, 0)  # all or none
            with self.assertRaises(neuron.NeuronError) as e:
                other.nc_release(0x1)
            self.assertEqual(e.exception.errno, errno.EINVAL)
            other.nc_acquire(0x4)
            owners = self.dev.nc_owners()
            self.assertEqual(len(owners), 4)
            self.assertEqual(owners[0].pid, os.getpid())
            self.assertEqual(owners[0].client_id, owners[1].client_id)
            self.assertNotEqual(owners[2].client_id, owners[0].client_id)
            self.assertIsNone(owners[3])
            with open("/proc/self/comm") as f:
                self.assertEqual(owners[0].comm, f.read().strip())
            self.assertEqual(neuron.nc_owners(neuron.devices()[0].minor), owners)
            for bad in (0, 0x10):
                with self.assertRaises(neuron.NeuronError) as e:
                    self.dev.nc_acquire(bad)
                self.assertEqual(e.exception.errno, errno.EINVAL)
                self.assertIn("nc_mask", e.exception.strerror)
            self.dev.nc_release(0x3)
            self.assertEqual(self.dev.nc_owned, 0)
        finally:
            other.close()
        self.assertEqual(self.dev.nc_owners(), [None] * 4)

    def test_nc_window(self):
        other = neuron.Device(path=neuron.devices()[0].node)
        size = 200000
        src, dst = self.dev.bo(size), self.dev.bo(size)
        data = os.urandom(size)
        src.map()[:size] = data
        self.dev.nc_acquire(0x4)
        q = self.dev.queue(nc=2, engine=1, queue=6)
        s = self.dev.syncobj()
        for woff in (0, neuron.NC_CONTROL_END, neuron.NC_CONTROL_START - size,
                     neuron.NC_WINDOW_SIZE - size):
            dst.map()[:size] = b"\x5a" * size
            q.submit(neuron.Job().to_window(woff, src, 0, size), signal=s)
            s.wait(timeout=10)
            self.assertEqual(s.status(), 1)
            job = neuron.Job().transfer([(neuron.NC_WINDOW, woff, size)], [(dst, 0, size)])
            self.assertEqual(job.tx[0][0], 0xFFFFFFFE)
            q.submit(job, signal=s)
            s.wait(timeout=10)
            self.assertEqual(s.status(), 1)
            self.assertEqual(dst.map()[:size], data, "window offset %#x" % woff)
        for woff, n in ((neuron.NC_CONTROL_START - 4, 8), (neuron.NC_CONTROL_END - 4, 8),
                        (neuron.NC_WINDOW_SIZE - 4, 8)):
            with self.assertRaises(neuron.NeuronError) as e:
                neuron.Job().from_window(dst, 0, woff, n)
            self.assertEqual(e.exception.errno, errno.EINVAL)
        # The other client does not own NC 2: the kernel refuses.
        osrc = other.bo(4096)
        oq = other.queue(nc=2, engine=1, queue=6)
        with self.assertRaises(neuron.NeuronError) as e:
            oq.submit(neuron.Job().to_window(0, osrc, 0, 4096))
        self.assertEqual(e.exception.errno, errno.EACCES)
        oq.close()
        osrc.close()
        other.close()
        q.close()
        self.dev.nc_release(0x4)

    def test_nc_reset(self):
        self.dev.nc_acquire(0x8)
        try:
            self.dev.nc_reset(0x8)
        except neuron.NeuronError as e:
            if e.errno in (errno.EINVAL, errno.ENOTTY, errno.EOPNOTSUPP):
                self.skipTest("the kernel has no NC_RESET yet (%s)" % e.strerror)
            raise
        finally:
            self.dev.nc_release(0x8)

    def test_neuron_ls_json(self):
        """tools/neuron-ls --json (built on libneuron) says what the library says."""
        here = os.path.dirname(os.path.abspath(__file__))
        tool = os.path.join(here, "..", "..", "..", "tools", "neuron-ls")
        if not os.path.exists(tool):
            self.skipTest("tools/neuron-ls is not built")
        import json
        self.dev.nc_acquire(0x2)
        r = subprocess.run([tool, "--json"], capture_output=True, text=True, timeout=60)
        self.assertEqual(r.returncode, 0, r.stderr)
        got = json.loads(r.stdout)
        mine = self.dev.nc_owners()[1]
        self.assertEqual(got[0]["nc_owners"][1],
                         {"client_id": mine.client_id, "pid": os.getpid(), "comm": mine.comm})
        self.assertIsNone(got[0]["nc_owners"][0])
        t = subprocess.run([tool], capture_output=True, text=True, timeout=60)
        self.assertIn("nc1 pid %d %s (client %d)" % (os.getpid(), mine.comm, mine.client_id),
                      t.stdout)
        self.assertIn("nc0 -", t.stdout)
        self.dev.nc_release(0x2)
        nodes = neuron.devices()
        self.assertEqual([g["node"] for g in got], [n.node for n in nodes])
        for g, n in zip(got, nodes):
            self.assertEqual(g["pci_addr"], n.pci_addr)
            self.assertEqual(g["device_index"], n.device_index)
            self.assertEqual(g["connected"], list(n.connected))
            self.assertEqual(g["east"], None if n.east == neuron.NO_NEIGHBOUR else n.east)
            self.assertEqual(g["west"], None if n.west == neuron.NO_NEIGHBOUR else n.west)
            with neuron.Device(path=n.node) as d:
                self.assertEqual(g["dram_size"], d.info["dram_size"])
                self.assertEqual(g["nc_count"], d.info["nc_count"])
            self.assertTrue(g["ready"])
        # The table names every node too.
        r = subprocess.run([tool], capture_output=True, text=True, timeout=60)
        for n in nodes:
            self.assertIn(os.path.basename(n.node) + " ", r.stdout)
            self.assertIn(n.pci_addr, r.stdout)

    def test_neuron_top_owners(self):
        """tools/neuron-top shows the NeuronCore owners per device and per client."""
        here = os.path.dirname(os.path.abspath(__file__))
        tool = os.path.join(here, "..", "..", "..", "tools", "neuron-top")
        if not os.path.exists(tool):
            self.skipTest("tools/neuron-top is not built")
        import json
        self.dev.nc_acquire(0x9)
        try:
            r = subprocess.run([tool, "--once", "--json", "-d", "0.2"], capture_output=True,
                               text=True, timeout=60)
            self.assertEqual(r.returncode, 0, r.stderr)
            snap = json.loads(r.stdout)
            node = os.path.basename(neuron.devices()[0].node)
            d = [x for x in snap["devices"] if x["node"] == node][0]
            mine = self.dev.nc_owners()
            for nc in (0, 3):
                self.assertEqual(d["nc_owners"][nc], {"client_id": mine[nc].client_id,
                                                      "pid": os.getpid(),
                                                      "command": mine[nc].comm})
            self.assertIsNone(d["nc_owners"][1])
            me = [c for c in d["clients"] if c["client_id"] == mine[0].client_id]
            self.assertEqual(len(me), 1)
            self.assertEqual(me[0]["nc_owned"], 0x9)
            t = subprocess.run([tool, "--once", "-d", "0.2"], capture_output=True, text=True,
                               timeout=60)
            self.assertIn("nc0 %d %s  nc1 -" % (os.getpid(), mine[0].comm[:16]), t.stdout)
        finally:
            self.dev.nc_release(0x9)

    def test_ten_lines(self):
        """The documentation's example job runs and checks its result."""
        here = os.path.dirname(os.path.abspath(__file__))
        ex = os.path.join(here, "..", "examples", "job.py")
        with open(ex) as f:
            lines = f.read().splitlines()
        self.assertLessEqual(len(lines), 10)
        doc = os.path.join(here, "..", "..", "..", "Documentation", "neuron", "libneuron.rst")
        with open(doc) as f:
            text = f.read()
        self.assertIn("\n".join("  " + ln for ln in lines) + "\n", text)
        env = dict(os.environ, PYTHONPATH=os.path.join(here, ".."))
        r = subprocess.run([sys.executable, ex], env=env, capture_output=True, text=True,
                           timeout=120)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout.strip(), "ok")


class Result(unittest.TextTestResult):
    def addSuccess(self, test):
        super().addSuccess(test)
        print("%s: pass" % test._testMethodName, flush=True)

    def addFailure(self, test, err):
        super().addFailure(test, err)
        print("%s: FAIL\n%s" % (test._testMethodName, self._exc_info_to_string(err, test)),
              flush=True)

    def addError(self, test, err):
        super().addError(test, err)
        print("%s: FAIL\n%s" % (test._testMethodName, self._exc_info_to_string(err, test)),
              flush=True)

    def addSkip(self, test, reason):
        super().addSkip(test, reason)
        print("%s: skip (%s)" % (test._testMethodName, reason), flush=True)


def main():
    names = [a for a in sys.argv[1:] if not a.startswith("-")]
    loader = unittest.TestLoader()
    suite = loader.loadTestsFromTestCase(T)
    if names:
        suite = unittest.TestSuite(t for t in suite
                                   if any(n in t._testMethodName for n in names))
    with open(os.devnull, "w") as null:
        res = unittest.TextTestRunner(stream=null, resultclass=Result, verbosity=0).run(suite)
    failed = len(res.failures) + len(res.errors)
    skipped = len(res.skipped)
    print("%d passed, %d failed, %d skipped" % (res.testsRun - failed - skipped, failed, skipped))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
