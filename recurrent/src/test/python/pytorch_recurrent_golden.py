"""Writes the PyTorch golden files of the recurrent layers: nn.RNN, nn.LSTM and nn.GRU on fixed
weights, inputs, initial states and (for some cases) sequence lengths, with their outputs and
gradients.

Each case is one safetensors file in ../resources/dev/lanes/recurrent/golden/, written by hand
(the format is a JSON header and little-endian arrays; Debian's PyTorch has no safetensors
package). It holds the module's state dict under PyTorch's own names (weight_ih_l0, ...,
bias_hh_l1_reverse) as F32, so the Java test loads it unchanged; "input", "h0" (and "c0") as
F32; "lengths" as I64 when the sequences are packed; then, computed in float64 from those float32
values, "output" (padded with zeros past each length), "h_n" (and "c_n"), and the gradients of
L = sum(output * grad_output) + sum(h_n * grad_h_n) (+ sum(c_n * grad_c_n)) with respect to the
input ("grad.input"), the initial state ("grad.h0", "grad.c0") and every parameter ("grad.NAME"),
as F64. The metadata names the module and its arguments.

Run: /usr/bin/python3 pytorch_recurrent_golden.py   (PyTorch 1.13)
"""
import json
import os
import struct

import torch
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "dev", "lanes", "recurrent",
                   "golden")
DTYPES = {torch.float32: "F32", torch.float64: "F64", torch.int64: "I64"}


def write_safetensors(path, tensors, metadata):
    header = {}
    blobs = []
    offset = 0
    for name, tensor in tensors.items():
        data = tensor.detach().contiguous().numpy().tobytes()  # little-endian on this machine
        header[name] = {"dtype": DTYPES[tensor.dtype], "shape": list(tensor.shape),
                        "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    header["__metadata__"] = {key: str(value) for key, value in metadata.items()}
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for blob in blobs:
            f.write(blob)


def case(name, kind, input_size, hidden, batch, steps, num_layers=1, bidirectional=False, bias=True,
         nonlinearity="tanh", lengths=None, seed=0):
    generator = torch.Generator().manual_seed(seed)
    kwargs = dict(num_layers=num_layers, bidirectional=bidirectional, bias=bias, batch_first=True)
    if kind == "RNN":
        kwargs["nonlinearity"] = nonlinearity
    module = getattr(torch.nn, kind)(input_size, hidden, **kwargs)
    # float32 values, computed with in float64
    with torch.no_grad():
        for p in module.parameters():
            p.copy_(torch.rand(p.shape, generator=generator) * 1.6 - 0.8)
    state = {key: value.detach().clone().float() for key, value in module.state_dict().items()}
    module = module.double()
    directions = 2 if bidirectional else 1
    x = (torch.rand(batch, steps, input_size, generator=generator) * 4 - 2).float()
    h0 = (torch.rand(num_layers * directions, batch, hidden, generator=generator) * 2 - 1).float()
    c0 = (torch.rand(num_layers * directions, batch, hidden, generator=generator) * 2 - 1).float()
    xd = x.double().requires_grad_()
    h0d = h0.double().requires_grad_()
    c0d = c0.double().requires_grad_()
    initial = (h0d, c0d) if kind == "LSTM" else h0d
    if lengths is None:
        output, final = module(xd, initial)
    else:
        packed = pack_padded_sequence(xd, torch.tensor(lengths), batch_first=True, enforce_sorted=False)
        packed_output, final = module(packed, initial)
        output, _ = pad_packed_sequence(packed_output, batch_first=True, total_length=steps)
    h_n, c_n = final if kind == "LSTM" else (final, None)
    grad_output = torch.rand(output.shape, generator=generator, dtype=torch.float64) * 2 - 1
    grad_h_n = torch.rand(h_n.shape, generator=generator, dtype=torch.float64) * 2 - 1
    loss = (output * grad_output).sum() + (h_n * grad_h_n).sum()
    tensors = dict(state)
    tensors["input"] = x
    tensors["h0"] = h0
    if kind == "LSTM":
        grad_c_n = torch.rand(c_n.shape, generator=generator, dtype=torch.float64) * 2 - 1
        loss = loss + (c_n * grad_c_n).sum()
        tensors["c0"] = c0
    if lengths is not None:
        tensors["lengths"] = torch.tensor(lengths, dtype=torch.int64)
    loss.backward()
    tensors["output"] = output.detach()
    tensors["h_n"] = h_n.detach()
    tensors["grad_output"] = grad_output
    tensors["grad_h_n"] = grad_h_n
    if kind == "LSTM":
        tensors["c_n"] = c_n.detach()
        tensors["grad_c_n"] = grad_c_n
        tensors["grad.c0"] = c0d.grad
    tensors["grad.input"] = xd.grad
    tensors["grad.h0"] = h0d.grad
    for key, p in module.named_parameters():
        tensors["grad." + key] = p.grad
    metadata = dict(kind=kind, input_size=input_size, hidden_size=hidden, num_layers=num_layers,
                    bidirectional=bidirectional, bias=bias, nonlinearity=nonlinearity, torch=torch.__version__)
    write_safetensors(os.path.join(OUT, name + ".safetensors"), tensors, metadata)


def main():
    os.makedirs(OUT, exist_ok=True)
    case("lstm", "LSTM", 3, 5, batch=2, steps=4, seed=1)
    case("lstm_stacked_bidirectional", "LSTM", 3, 4, batch=3, steps=5, num_layers=2, bidirectional=True, seed=2)
    case("lstm_packed", "LSTM", 4, 3, batch=3, steps=5, num_layers=2, bidirectional=True, lengths=[5, 2, 4], seed=3)
    case("lstm_no_bias", "LSTM", 2, 3, batch=2, steps=3, bias=False, seed=4)
    case("gru", "GRU", 3, 5, batch=2, steps=4, seed=5)
    case("gru_stacked_bidirectional_packed", "GRU", 3, 4, batch=3, steps=4, num_layers=2, bidirectional=True,
         lengths=[1, 4, 3], seed=6)
    case("rnn_tanh_bidirectional", "RNN", 3, 4, batch=2, steps=5, bidirectional=True, seed=7)
    case("rnn_relu_stacked", "RNN", 3, 4, batch=2, steps=4, num_layers=2, nonlinearity="relu", seed=8)


if __name__ == "__main__":
    main()
