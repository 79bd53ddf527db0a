#!/usr/bin/env python3
"""The cycles of hindsight's module graph at file level.

Reads every file under src/, takes the `crate::`, `super::` and child
module paths it uses (tests excluded), resolves each to the file that
defines it, and prints every strongly connected group of files with the
edges inside it. Usage: .ci/module_cycles.py [REPO]  (default: .)
"""
import os,re,sys
root=(sys.argv[1] if len(sys.argv) > 1 else '.')+'/src'
files={}
for d,_,fs in os.walk(root):
    for f in fs:
        if f.endswith('.rs'):
            p=os.path.join(d,f); rel=os.path.relpath(p,root)
            files[rel]=open(p).read()
def modpath(rel):
    parts=rel[:-3].split('/')
    if parts[-1] in ('mod',): parts=parts[:-1]
    if parts==['lib'] or parts==['main']: return []
    return parts
bymod={tuple(modpath(r)):r for r in files}
def resolve(parts):
    # longest prefix mapped to file
    for n in range(len(parts),0,-1):
        t=tuple(parts[:n])
        if t in bymod: return bymod[t]
    return None
edges={r:set() for r in files}
for rel,src in files.items():
    me=modpath(rel)
    # strip tests module
    i=src.find('#[cfg(test)]\nmod tests')
    if i>=0: src=src[:i]
    src=re.sub(r'//[^\n]*','',src)
    for m in re.finditer(r'\b(crate|super)((?:::\w+)*)(?:::\{([^}]*)\})?',src):
        if not m.group(2) and m.group(3) is None: continue
        parts=m.group(2).split('::')[1:] if m.group(2) else []
        if m.group(1)=='crate': base=[]
        else:
            isdir = rel.endswith('mod.rs') or False
            base=me[:-1]
            # handle super::super
            while parts and parts[0]=='super': base=base[:-1]; parts=parts[1:]
        targets=[base+parts] if (parts or not m.group(3)) else []
        if m.group(3):
            for item in m.group(3).split(','):
                item=item.strip().split(' as ')[0].split('::')
                if item[0] and item[0]!='self': targets.append(base+parts+[item[0]])
        for tp in targets:
            t=resolve(tp) if tp else None
            if t and t!=rel: edges[rel].add(t)
    # mod decls + `use name::` of child modules (self-relative)
    for m in re.finditer(r'^\s*(?:pub(?:\([^)]*\))?\s+)?use\s+(?:self::)?(\w+)::',src,re.M):
        name=m.group(1)
        if name in ('crate','super','std','serde','anyhow','chrono','rayon','tera','clap'): continue
        dirbase = me if (rel.endswith('mod.rs') or rel in ('lib.rs','main.rs') or True) else me
        t=resolve(me+[name]) if tuple(me+[name]) in bymod else None
        if t and t!=rel: edges[rel].add(t)
    for m in re.finditer(r'\b(\w+)::\w+',src):
        name=m.group(1)
        if tuple(me+[name]) in bymod and name not in ('crate','super','self'):
            t=bymod[tuple(me+[name])]
            if t!=rel: edges[rel].add(t)
# tarjan
sys.setrecursionlimit(10000)
index={};low={};st=[];on=set();sccs=[];c=[0]
def sc(v):
    index[v]=low[v]=c[0];c[0]+=1;st.append(v);on.add(v)
    for w in edges[v]:
        if w not in index: sc(w);low[v]=min(low[v],low[w])
        elif w in on: low[v]=min(low[v],index[w])
    if low[v]==index[v]:
        comp=[]
        while True:
            w=st.pop();on.discard(w);comp.append(w)
            if w==v:break
        sccs.append(comp)
for v in files:
    if v not in index: sc(v)
big=[s for s in sccs if len(s)>1]
print(len(files),'files;',len(big),'cycles')
for s in sorted(big,key=len,reverse=True):
    print(len(s),sorted(s))
for s in sorted(big,key=len):
    S=set(s)
    print('---')
    for a in sorted(s):
        for b in sorted(edges[a]&S):
            print(f'  {a} -> {b}')
