"""PyTorch CPU training step of an LSTM classifier, the shapes of `lanes recurrent-speed`.

nn.LSTM(input, hidden, batch_first=True) over (batch, steps, input) random sequences, the last
hidden state into nn.Linear(hidden, 10), cross-entropy on random labels, Adam 1e-3: forward,
backward and optimizer step.
usage: /usr/bin/python3 torch_lstm_step.py THREADS BATCH STEPS INPUT HIDDEN [seconds per sample] [samples]
Prints sequences/s of training steps (median of the samples, with min and max).
"""
import sys
import time

import torch
import torch.nn as nn

threads, batch, steps, inputs, hidden = (int(a) for a in sys.argv[1:6])
sec = float(sys.argv[6]) if len(sys.argv) > 6 else 2.0
samples = int(sys.argv[7]) if len(sys.argv) > 7 else 5
torch.set_num_threads(threads)
torch.manual_seed(1)
lstm = nn.LSTM(inputs, hidden, batch_first=True)
head = nn.Linear(hidden, 10)
params = list(lstm.parameters()) + list(head.parameters())
opt = torch.optim.Adam(params, lr=1e-3)
loss_fn = nn.CrossEntropyLoss()
data = [(torch.randn(batch, steps, inputs), torch.randint(0, 10, (batch,))) for _ in range(4)]


def train():
    for x, y in data:
        opt.zero_grad(set_to_none=False)
        out, _ = lstm(x)
        loss_fn(head(out[:, -1, :]), y).backward()
        opt.step()


def measure(fn):
    t0 = time.perf_counter()
    while time.perf_counter() - t0 < 2.0:
        fn()
    rates = []
    for _ in range(samples):
        n = 0
        start = time.perf_counter()
        while time.perf_counter() - start < sec:
            fn()
            n += 1
        rates.append(n * batch * len(data) / (time.perf_counter() - start))
    return sorted(rates)


print(f"# torch {torch.__version__} threads={torch.get_num_threads()} batch={batch} steps={steps} "
      f"input={inputs} hidden={hidden}")
r = measure(train)
m = len(r) // 2
print(f"torch\t{threads}\ttrain sequences/s\t{r[m]:.0f}\t(min {r[0]:.0f} max {r[-1]:.0f})\t"
      f"{1000.0 * batch / r[m]:.2f} ms/step")
