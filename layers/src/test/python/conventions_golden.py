"""Writes the golden files of the conventions Lanes follows, from PyTorch 1.13 in double precision.

Each convention is one PyTorch (or numpy) call, not a formula written again by hand: ceil mode
and padding in pooling windows, padding counted in averages, the GELU (tanh and erf) and SELU
constants, binary cross-entropy's clamp, both multi-class hinge forms, batch normalization's
running variance and AdamW's decoupled decay. Inputs are float32 values (so Java reads them
exactly); results are double. The Java tests (ConventionsGoldenTest in layers, AdamWGoldenTest in
training) compare against these files and never skip.

Run from anywhere: /usr/bin/python3 layers/src/test/python/conventions_golden.py
It rewrites layers/src/test/resources/dev/lanes/layers/conventions_golden.txt and
training/src/test/resources/dev/lanes/training/optim/adamw_golden.txt.
"""
import math
import os

import numpy as np
import torch

torch.set_default_dtype(torch.float64)
ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "..")


def float32(values):
    """A double tensor holding float32 values."""
    return torch.tensor(np.asarray(values, dtype=np.float32).astype(np.float64))


def wave(shape, a, b, scale=1.0):
    n = math.prod(shape)
    return float32([scale * math.sin(a * i + b) for i in range(n)]).reshape(shape)


class Writer:
    def __init__(self):
        self.lines = []

    def case(self, name, shape):
        self.lines.append("case " + name + " " + " ".join(str(d) for d in shape))

    def emit(self, name, tensor):
        flat = tensor.detach().flatten() if torch.is_tensor(tensor) else torch.tensor([float(tensor)])
        self.lines.append(name + " " + " ".join(repr(float(v)) for v in flat))

    def save(self, path):
        with open(os.path.join(ROOT, path), "w") as f:
            f.write("\n".join(self.lines) + "\n")


def layer(out, name, module, x):
    """output and input gradient of sum(output * g), g = cos(0.7 i), for the input x."""
    x = x.clone().requires_grad_()
    y = module(x)
    g = float32([math.cos(0.7 * i) for i in range(y.numel())]).reshape(y.shape)
    (y * g).sum().backward()
    out.case(name, y.shape)
    out.emit("input", x)
    out.emit("output", y)
    out.emit("gradInput", x.grad)


def loss(out, name, function, prediction, target, backward_at=None):
    """The loss and its gradient with respect to the prediction (or to backward_at, a clamped copy)."""
    p = (prediction if backward_at is None else backward_at).clone().requires_grad_()
    value = function(p, target)
    value.backward()
    out.case(name, prediction.shape)
    out.emit("prediction", prediction)
    out.emit("target", target)
    out.emit("output", value)
    out.emit("gradInput", p.grad)


def conventions():
    out = Writer()
    image = wave((2, 2, 7, 6), 0.37, 0.1, 2.0)
    layer(out, "maxpool_k3_s2_ceil", torch.nn.MaxPool2d(3, stride=2, ceil_mode=True), image)
    layer(out, "maxpool_k2_s2_p1_ceil", torch.nn.MaxPool2d(2, stride=2, padding=1, ceil_mode=True), image)
    layer(out, "avgpool_k3_s2_p1_countpad", torch.nn.AvgPool2d(3, stride=2, padding=1, count_include_pad=True), image)
    layer(out, "avgpool_k3_s2_p1_nopad", torch.nn.AvgPool2d(3, stride=2, padding=1, count_include_pad=False), image)
    layer(out, "avgpool_k3_s2_p1_ceil_countpad",
          torch.nn.AvgPool2d(3, stride=2, padding=1, ceil_mode=True, count_include_pad=True), image)
    layer(out, "avgpool_k3_s2_p1_ceil_nopad",
          torch.nn.AvgPool2d(3, stride=2, padding=1, ceil_mode=True, count_include_pad=False), image)
    spread = wave((4, 25), 0.91, 0.3, 6.0)
    layer(out, "gelu_tanh", torch.nn.GELU(approximate="tanh"), spread)
    layer(out, "gelu_erf", torch.nn.GELU(), spread)
    layer(out, "selu", torch.nn.SELU(), spread)

    # Binary cross-entropy: Lanes clamps p to [1e-7, 1 - 1e-7] (Keras' epsilon) and takes the
    # gradient of BCE at the clamped p; interior values are plain BCELoss.
    eps = np.float32(1e-7)
    p = float32([0.0, 1e-9, 0.2, 0.5, 0.93, 1.0, 0.999, 3e-8])
    t = float32([0.0, 1.0, 0.3, 1.0, 0.0, 1.0, 0.25, 0.5])
    clamped = torch.clamp(p, float(eps), float(np.float32(1) - eps))
    loss(out, "bce_mean_clamped", torch.nn.BCELoss(reduction="mean"), p, t, backward_at=clamped)
    interior = float32([0.1, 0.35, 0.6, 0.77, 0.05, 0.9])
    loss(out, "bce_sum", torch.nn.BCELoss(reduction="sum"), interior, float32([0, 1, 0.5, 1, 0.2, 0]))

    # Multi-class hinge, margin 1. Weston-Watkins is MultiMarginLoss (which also divides each
    # example by the class count; the Java side multiplies it back); Crammer-Singer takes the
    # largest rival only, written with torch's max so autograd gives its gradient.
    scores = wave((4, 5), 1.7, 0.2, 1.5)
    labels = torch.tensor([2, 0, 4, 1])
    loss(out, "hinge_weston_watkins_mean", torch.nn.MultiMarginLoss(margin=1.0, reduction="mean"), scores, labels)

    def crammer_singer(s, y):
        rivals = s.masked_fill(torch.nn.functional.one_hot(y, s.shape[1]).bool(), -math.inf)
        return torch.clamp(1 + rivals.max(dim=1).values - s.gather(1, y[:, None])[:, 0], min=0).mean()

    loss(out, "hinge_crammer_singer_mean", crammer_singer, scores, labels)

    # Batch normalization, training mode, momentum 0.1: the running variance takes the unbiased
    # batch variance, the normalization the biased one.
    bn = torch.nn.BatchNorm2d(3, momentum=0.1, eps=1e-5)
    x = wave((2, 3, 2, 3), 0.53, 0.7, 2.0)
    layer(out, "batchnorm2d_training", bn, x)
    out.emit("runningMean", bn.running_mean)
    out.emit("runningVar", bn.running_var)
    out.save("layers/src/test/resources/dev/lanes/layers/conventions_golden.txt")


def adamw():
    """Three AdamW steps, lr 0.1, betas (0.9, 0.999), eps 1e-8, weight decay 0.1."""
    out = Writer()
    w = float32([0.5, -1.25, 2.0, 0.0, -0.3]).clone().requires_grad_()
    optimizer = torch.optim.AdamW([w], lr=0.1, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.1)
    out.case("adamw", w.shape)
    out.emit("start", w)
    for step in range(3):
        grad = float32([math.sin(1.1 * i + step) for i in range(5)])
        out.emit("grad" + str(step), grad)
        w.grad = grad.clone()
        optimizer.step()
        out.emit("after" + str(step), w)
    out.save("training/src/test/resources/dev/lanes/training/optim/adamw_golden.txt")


if __name__ == "__main__":
    conventions()
    adamw()
