#!/bin/bash
# SPDX-License-Identifier: MIT
# Print the testlist (igt@<binary>@<subtest>) of the given test binaries.
set -euo pipefail
for b in "$@"; do
	name=$(basename "$b")
	"$b" --list-subtests | sed "s/^/igt@$name@/"
done
