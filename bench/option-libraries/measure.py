import resource, subprocess, time, sys, statistics, os
variants = sys.argv[1].split(',')
runtimes = {'node': ['node'], 'bun': [os.environ['BUN']]}
N = 20
res = {(r, v): ([], []) for r in runtimes for v in variants}
for i in range(N):
    for r, cmd in runtimes.items():
        for v in variants:
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            t = time.perf_counter()
            subprocess.run(cmd + [f'out/{v}.cjs'], stdout=subprocess.DEVNULL, check=True)
            wall = time.perf_counter() - t
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
            res[(r, v)][0].append(cpu * 1000); res[(r, v)][1].append(wall * 1000)
print('| runtime | variant | bytes | CPU ms (mean) | +CPU vs base | wall ms (mean) | +wall vs base |')
print('|---|---|---:|---:|---:|---:|---:|')
for r in runtimes:
    bc = statistics.mean(res[(r, variants[0])][0]); bw = statistics.mean(res[(r, variants[0])][1])
    for v in variants:
        c = statistics.mean(res[(r, v)][0]); w = statistics.mean(res[(r, v)][1])
        print(f'| {r} | {v} | {os.path.getsize(f"out/{v}.cjs")} | {c:.1f} | {c-bc:+.1f} | {w:.1f} | {w-bw:+.1f} |')
