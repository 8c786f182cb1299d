# SPDX-License-Identifier: MIT
# Copyright (c) 2026 The neuron driver authors
"""`with` support for the binding's objects that have close()."""


class Closing:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
