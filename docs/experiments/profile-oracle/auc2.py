import os, sys, hashlib, re, numpy as np, pickle
from sklearn.linear_model import LogisticRegression
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.metrics import roc_auc_score, average_precision_score
gold = [l.rstrip('\n').split('\t') for l in open(os.environ.get('XP', '/tmp/xp') + '/gold.tsv')]
ids = {}
for i, p in gold: ids.setdefault(p, len(ids))
name_of = {v: re.sub(r' \d{4}$', '', k) for k, v in ids.items()}
def half(name): return int(hashlib.md5(name.encode()).hexdigest(), 16) % 2
rows = [l.rstrip('\n').split('\t') for l in open(sys.argv[1])]
X = np.array([[float(v) for v in r[8:20]] for r in rows])
E = pickle.load(open(sys.argv[1] + '.feat', 'rb'))
XE = np.hstack([X, E])
y = np.array([r[1] == r[4] for r in rows])
w = np.array([float(r[3]) * float(r[6]) for r in rows]) ** 0.5
h = np.array([half(name_of[int(r[1])]) for r in rows])
for t in [0, 1]:
    tr, te = h != t, h == t
    out = [('current', X[te, :6].sum(1))]
    for nm, Z in [('base', X), ('ext', XE), ('newonly', E)]:
        gb = HistGradientBoostingClassifier(max_iter=300, learning_rate=0.05, max_leaf_nodes=8, min_samples_leaf=40).fit(Z[tr], y[tr], sample_weight=w[tr])
        lr = LogisticRegression(max_iter=5000).fit(Z[tr], y[tr], sample_weight=w[tr])
        out += [(nm + '-gbm', gb.predict_proba(Z[te])[:, 1]), (nm + '-lr', lr.decision_function(Z[te]))]
    for nm, s in out:
        print(t, f'{nm:12s} AUC {roc_auc_score(y[te], s, sample_weight=w[te]):.4f} AP {average_precision_score(y[te], s, sample_weight=w[te]):.4f}')
    for k in range(E.shape[1]):
        print(t, 'single new', k, f'AUC {roc_auc_score(y[te], E[te, k], sample_weight=w[te]):.4f}')
