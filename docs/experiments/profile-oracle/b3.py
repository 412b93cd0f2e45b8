import os, sys, hashlib, re, collections
def half(name): return int(hashlib.md5(name.encode()).hexdigest(), 16) % 2
def b3(rows):
    by_a = collections.Counter(r[0] for r in rows); by_g = collections.Counter(r[1] for r in rows)
    both = collections.Counter(rows)
    P = sum(both[(a, g)] ** 2 / by_a[a] for (a, g) in both) / len(rows)
    R = sum(both[(a, g)] ** 2 / by_g[g] for (a, g) in both) / len(rows)
    return P, R, 2 * P * R / (P + R)
rows = [l.rstrip('\n').split('\t') for l in open(sys.argv[1])]
out = []
for part in [0, 1, 'all']:
    sel = [(r[3], r[4]) for r in rows if part == 'all' or half(re.sub(r' \d{4}$', '', r[4])) == part]
    P, R, F = b3(sel)
    out.append(f'{part}: P {P:.4f} R {R:.4f} F {F:.4f}')
print(' | '.join(out))
