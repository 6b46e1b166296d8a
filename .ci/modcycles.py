#!/usr/bin/env python3
"""Fails on module import circles per crate (ARCHITECTURE.md "Layers"). Module import cycles per crate: edges from `use crate::a::b` / `crate::a::b::` paths and
`super::` in each file's module to the top two path levels; prints strongly connected
components with more than one module."""
import os, re, sys
from collections import defaultdict

def modname(root, path):
    rel = os.path.relpath(path, root)[:-3]
    parts = rel.split(os.sep)
    if parts[-1] in ('mod', 'lib', 'main'):
        parts = parts[:-1]
    return parts

def scan(crate_src):
    files = []
    for d, _, fs in os.walk(crate_src):
        for f in fs:
            if f.endswith('.rs'):
                files.append(os.path.join(d, f))
    mods = {}
    for f in files:
        mods['::'.join(modname(crate_src, f))] = f
    def resolve(parts):
        # longest prefix that is a module
        for n in range(min(len(parts), 3), 0, -1):
            k = '::'.join(parts[:n])
            if k in mods:
                return k
        return None
    g = defaultdict(set)
    for m, f in mods.items():
        src = open(f).read()
        # strip tests module
        i = src.find('#[cfg(test)]')
        if i >= 0:
            src = src[:i]
        src = re.sub(r'//[^\n]*', '', src)
        here = m.split('::') if m else []
        for mm in re.finditer(r'\b(crate|super)((?:::\w+)+)', src):
            base = [] if mm.group(1) == 'crate' else here[:-1]
            parts = base + mm.group(2).strip(':').split('::')
            t = resolve(parts)
            if t is not None and t != m and not t.startswith(m + '::') and not m.startswith(t + '::') if m else False:
                g[m].add(t)
        # grouped uses: use crate::{a::X, b::Y}
        for mm in re.finditer(r'use crate::\{([^;]*)\};', src, re.S):
            for item in re.findall(r'(\w+(?:::\w+)*)', mm.group(1)):
                t = resolve(item.split('::'))
                if t and t != m and not t.startswith(m + '::') and not m.startswith(t + '::'):
                    g[m].add(t)
    return g

def sccs(g):
    index = {}; low = {}; st = []; on = set(); out = []; i = [0]
    nodes = set(g) | {v for vs in g.values() for v in vs}
    sys.setrecursionlimit(10000)
    def strong(v):
        index[v] = low[v] = i[0]; i[0] += 1; st.append(v); on.add(v)
        for w in g.get(v, ()):
            if w not in index:
                strong(w); low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = st.pop(); on.discard(w); comp.append(w)
                if w == v: break
            if len(comp) > 1: out.append(sorted(comp))
    for v in sorted(nodes):
        if v not in index: strong(v)
    return out

found = 0
for crate in sys.argv[1:]:
    g = scan(crate)
    for c in sccs(g):
        found += 1
        print(f"{crate}: {' <-> '.join(c)}")
        for a in c:
            print('   ', a, '->', sorted(x for x in g[a] if x in c))
if found:
    print(f"{found} import circle(s) between modules (above): a module's dependencies must not lead back to it", file=sys.stderr)
    sys.exit(1)
print(f"no import circles in {len(sys.argv) - 1} crates")
