#!/usr/bin/env python3
"""Writes a seeded benchmark workload, byte-identical on every run, and prints its tree digest.

Workloads (bench/README.md): small, mixed, large, huge, million. The digest is the SHA-256 of the sorted
lines "PATH SIZE SHA256" of every file, so two trees with the same digest hold the same bytes.
Contents are slices of a seeded random pool with the file's own path and block number in
front, so no two files or blocks are equal and nothing compresses.
"""

import argparse
import hashlib
import os
import random
import shutil
import sys

KIB = 1024
MIB = 1024 * KIB
POOL_SIZE = 16 * MIB
BLOCK = 1 * MIB
FIXED_MTIME = 1_700_000_000  # 2023-11-14; identical trees also have identical mtimes


def small_files(rng, count, directories, prefix="d"):
    for index in range(count):
        directory = f"{prefix}{index % directories:04d}"
        yield f"{directory}/f{index:06d}.dat", rng.randint(1 * KIB, 16 * KIB)


def layout(name, rng):
    if name == "small":
        yield from small_files(rng, 5_000, 50)
    elif name == "mixed":
        yield from small_files(rng, 2_000, 20)
        for index in range(20):
            yield f"big/b{index:02d}.bin", 8 * MIB
    elif name == "large":
        for index in range(4):
            yield f"l{index}.bin", 256 * MIB
    elif name == "huge":
        yield from small_files(rng, 100_000, 1_000)
    elif name == "million":
        for index in range(1_000_000):
            yield f"m{index % 10_000:05d}/f{index:07d}.dat", rng.randint(0, 4 * KIB)
    else:
        raise SystemExit(f"unknown workload {name!r}")


class Writer:
    def __init__(self, seed):
        self.rng = random.Random(seed)
        self.pool = self.rng.randbytes(POOL_SIZE)

    def chunk(self, path, block, size):
        if size == 0:
            return b""
        header = f"{path}#{block}\n".encode()
        size = max(size, len(header))
        offset = self.rng.randrange(0, POOL_SIZE - size)
        return header + self.pool[offset : offset + size - len(header)]

    def write(self, root, path, size):
        digest = hashlib.sha256()
        full = os.path.join(root, path)
        with open(full, "wb") as out:
            written = 0
            block = 0
            while written < size:
                data = self.chunk(path, block, min(BLOCK, size - written))
                out.write(data)
                digest.update(data)
                written += len(data)
                block += 1
        os.utime(full, (FIXED_MTIME, FIXED_MTIME))
        return digest.hexdigest(), written  # a tiny file holds at least its header


def generate(name, root, seed):
    if os.path.exists(root):
        shutil.rmtree(root)
    os.makedirs(root)
    writer = Writer(f"{seed}:{name}")
    lines = []
    made = set()
    for path, size in layout(name, writer.rng):
        directory = os.path.dirname(path)
        if directory and directory not in made:
            os.makedirs(os.path.join(root, directory), exist_ok=True)
            made.add(directory)
        digest, written = writer.write(root, path, size)
        lines.append(f"{path} {written} {digest}\n")
    for directory in made:
        os.utime(os.path.join(root, directory), (FIXED_MTIME, FIXED_MTIME))
    lines.sort()
    return hashlib.sha256("".join(lines).encode()).hexdigest(), len(lines)


def tree_digest(root, skipped_prefixes=()):
    """The digest and file count of a tree; files whose names start with one of
    skipped_prefixes (a client's own state, such as nextcloudcmd's journal) are left out."""
    lines = []
    for directory, subdirectories, files in os.walk(root):
        subdirectories[:] = [d for d in subdirectories if d != ".steadysync"]
        for file in files:
            if file.startswith(tuple(skipped_prefixes)):
                continue
            full = os.path.join(directory, file)
            relative = os.path.relpath(full, root)
            digest = hashlib.sha256()
            with open(full, "rb") as source:
                while data := source.read(BLOCK):
                    digest.update(data)
            lines.append(f"{relative} {os.path.getsize(full)} {digest.hexdigest()}\n")
    lines.sort()
    return hashlib.sha256("".join(lines).encode()).hexdigest(), len(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("workload", choices=["small", "mixed", "large", "huge", "million"])
    parser.add_argument("directory")
    parser.add_argument("--seed", default="steadysync-bench-1")
    parser.add_argument("--digest-only", action="store_true",
                        help="print the digest of an existing tree instead of writing one")
    arguments = parser.parse_args()
    if arguments.digest_only:
        digest, count = tree_digest(arguments.directory)
    else:
        digest, count = generate(arguments.workload, arguments.directory, arguments.seed)
    print(f"{arguments.workload} {count} files digest {digest}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
