#!/usr/bin/env python3
"""PyTorch float32 CPU twin of PamGen's TrainingStepBenchmark: one training step of the hand-assembled encoder
classifier (d=256, 4 layers, 4 heads, MLP 1024, sequence 128, batch 16, vocab 1000, 10 classes, dropout 0.1,
label smoothing 0.1, AdamW, global-norm clip 1.0, warm-up + cosine LR), printing tokens/s.

Same architecture as src/PamGen.Runtime/Models/TransformerClassifier.cs: pre-LN blocks with separate q/k/v
projections, sigmoid GELU x*sigmoid(1.702x), final LayerNorm, mean pooling, linear head.

Usage: python3 torch_step.py [--threads N] [--steps S] [--warmup W]
Run it as: default threads; OMP_WAIT_POLICY=PASSIVE; --threads 1 — and compare against the best figure.

Debian's torch calls BLAS through the libblas.so.3 alternative: with only libblas3 (netlib reference BLAS)
installed a step takes ~30-60 s. Install libopenblas0-pthread (it takes over the alternative) and set
OPENBLAS_CORETYPE=Haswell (Debian's OpenBLAS 0.3.21 does not know Zen 5), else PyTorch is measured hobbled.
"""
import argparse
import math
import os
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

D, LAYERS, HEADS, HIDDEN, SEQ, BATCH, VOCAB, CLASSES = 256, 4, 4, 1024, 128, 16, 1000, 10
DROPOUT, SMOOTHING = 0.1, 0.1


class Attention(nn.Module):
    def __init__(self):
        super().__init__()
        self.ln = nn.LayerNorm(D, eps=1e-5)
        self.q, self.k, self.v, self.out = (nn.Linear(D, D) for _ in range(4))
        self.drop = nn.Dropout(DROPOUT)

    def forward(self, x):
        b, t, _ = x.shape
        h = self.ln(x)
        q, k, v = (p(h).view(b, t, HEADS, D // HEADS).transpose(1, 2) for p in (self.q, self.k, self.v))
        att = torch.softmax(q @ k.transpose(-1, -2) * (1.0 / math.sqrt(D // HEADS)), dim=-1)
        y = (att @ v).transpose(1, 2).reshape(b, t, D)
        return x + self.drop(self.out(y))


class Mlp(nn.Module):
    def __init__(self):
        super().__init__()
        self.ln = nn.LayerNorm(D, eps=1e-5)
        self.fc1, self.fc2 = nn.Linear(D, HIDDEN), nn.Linear(HIDDEN, D)
        self.drop = nn.Dropout(DROPOUT)

    def forward(self, x):
        h = self.fc1(self.ln(x))
        return x + self.drop(self.fc2(h * torch.sigmoid(1.702 * h)))


class Classifier(nn.Module):
    def __init__(self):
        super().__init__()
        self.wte, self.wpe = nn.Embedding(VOCAB, D), nn.Embedding(SEQ, D)
        self.drop = nn.Dropout(DROPOUT)
        self.blocks = nn.Sequential(*[m for _ in range(LAYERS) for m in (Attention(), Mlp())])
        self.norm = nn.LayerNorm(D, eps=1e-5)
        self.head = nn.Linear(D, CLASSES)

    def forward(self, tokens):
        x = self.drop(self.wte(tokens) + self.wpe(torch.arange(tokens.shape[1])))
        return self.head(self.norm(self.blocks(x)).mean(dim=1))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=0, help="torch.set_num_threads (0 = PyTorch's default)")
    ap.add_argument("--steps", type=int, default=10)
    ap.add_argument("--warmup", type=int, default=3)
    args = ap.parse_args()
    if args.threads > 0:
        torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    model = Classifier()
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.01)
    total, warm = 1000, 10
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: (s + 1) / warm if s < warm else 0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * min(1.0, (s - warm) / (total - warm)))))
    tokens = torch.randint(0, VOCAB, (BATCH, SEQ))
    labels = torch.randint(0, CLASSES, (BATCH,))

    def step():
        opt.zero_grad(set_to_none=True)
        loss = F.cross_entropy(model(tokens), labels, label_smoothing=SMOOTHING)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        sched.step()
        return loss.item()

    for _ in range(args.warmup):
        step()
    times, cpu = [], []
    for _ in range(args.steps):
        t0, c0 = time.perf_counter(), time.process_time()
        step()
        times.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    best, mean = min(times), sum(times) / len(times)
    print(f"torch {torch.__version__} threads={torch.get_num_threads()} OMP_WAIT_POLICY={os.environ.get('OMP_WAIT_POLICY', '-')} "
          f"params={sum(p.numel() for p in model.parameters())} step mean {mean * 1e3:.1f} ms, best {best * 1e3:.1f} ms; "
          f"tokens/s mean {BATCH * SEQ / mean:.0f}, best {BATCH * SEQ / best:.0f}; "
          f"process CPU time per step best {min(cpu) * 1e3:.1f} ms, mean {sum(cpu) / len(cpu) * 1e3:.1f} ms (a loaded machine inflates wall time, less so CPU time)")


if __name__ == "__main__":
    main()
