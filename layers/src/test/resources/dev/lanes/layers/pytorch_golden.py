"""Writes pytorch_golden.txt: PyTorch 1.13's ConvTranspose2d and Upsample on fixed inputs.

Inputs and weights are sin/cos formulas of the flat index, so the Java test rebuilds them
without reading arrays. Each case prints its name, then the output, the input gradient and (for
the convolution) the weight and bias gradients of sum(output * g) with g = cos(0.7 * index).
Run: /usr/bin/python3 pytorch_golden.py > pytorch_golden.txt
"""
import math
import torch

torch.set_default_dtype(torch.float64)


def filled(shape, f):
    n = math.prod(shape)
    return torch.tensor([f(i) for i in range(n)]).reshape(shape)


def emit(name, tensor):
    print(name, " ".join(repr(float(v)) for v in tensor.flatten()))


def case(name, module, x_shape):
    x = filled(x_shape, lambda i: math.sin(0.37 * i + 0.1)).requires_grad_()
    y = module(x)
    g = filled(tuple(y.shape), lambda i: math.cos(0.7 * i))
    (y * g).sum().backward()
    print("case", name, " ".join(str(d) for d in y.shape))
    emit("output", y)
    emit("gradInput", x.grad)
    for pname, p in module.named_parameters():
        emit("grad." + pname, p.grad)


def transposed(cin, cout, kernel, stride, padding, output_padding, dilation, groups):
    m = torch.nn.ConvTranspose2d(cin, cout, kernel, stride=stride, padding=padding, output_padding=output_padding,
                                 dilation=dilation, groups=groups, bias=True)
    with torch.no_grad():
        m.weight.copy_(filled(tuple(m.weight.shape), lambda i: math.sin(1.3 * i)))
        m.bias.copy_(filled(tuple(m.bias.shape), lambda i: 0.1 * i - 0.2))
    return m


case("convT_2_4_k3_s2_p1_op1_g2", transposed(2, 4, 3, 2, 1, 1, 1, 2), (2, 2, 3, 4))
case("convT_3_2_k2x3_s3x2_p0x1_op2x1_d1", transposed(3, 2, (2, 3), (3, 2), (0, 1), (2, 1), 1, 1), (1, 3, 2, 3))
case("convT_1_2_k3_s1_p2_op0_d2", transposed(1, 2, 3, 1, 2, 0, 2, 1), (1, 1, 4, 4))
case("nearest_2x3", torch.nn.Upsample(scale_factor=(2, 3), mode="nearest"), (2, 2, 3, 2))
case("bilinear_2", torch.nn.Upsample(scale_factor=2, mode="bilinear", align_corners=False), (1, 2, 3, 4))
case("bilinear_3x2", torch.nn.Upsample(scale_factor=(3, 2), mode="bilinear", align_corners=False), (2, 1, 2, 3))
