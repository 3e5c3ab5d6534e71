"""Build tiny but valid Argos packages offline, for tests and the offline demo.

THE OUTPUT OF THESE MODELS IS NOT A TRANSLATION. The weights are seeded random numbers; the
output vocabulary is masked to the target script, so en->ru emits Cyrillic and en->ja emits
Japanese, and one decoder dimension carries a position "clock" that raises the end-of-sentence
score after about ``target_tokens`` steps, so decoding ends by itself as a real model's does.
Packages are marked ``syndicate_demo: true`` in metadata.json and every feed entry says so.

Only numpy, sentencepiece and ctranslate2 are needed (no torch); a package builds in ~2 s.
"""

from __future__ import annotations

import io
import json
import shutil
import tempfile
import unicodedata
import zipfile
from importlib import resources
from pathlib import Path

import numpy as np

from syndicate.translation.packages import DEMO_KEY

DEMO_VERSION = "0.1.0"
# Longest input (in SentencePiece tokens) the demo model accepts; CTranslate2 truncates beyond.
MAX_POSITIONS = 1024
_SCRIPTS = {"ru": ("CYRILLIC",), "ja": ("HIRAGANA", "KATAKANA", "CJK UNIFIED IDEOGRAPH")}


def corpus(lang: str) -> list[str]:
    text = resources.files("syndicate.demo").joinpath(f"corpus/{lang}.txt").read_text("utf-8")
    return [line for line in text.splitlines() if line.strip()]


def _train_sentencepiece(sentences: list[str], vocab_size: int) -> bytes:
    import sentencepiece as spm

    model = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(sentences),
        model_writer=model,
        vocab_size=vocab_size,
        model_type="unigram",
        character_coverage=1.0,
        hard_vocab_limit=False,
        byte_fallback=False,
        minloglevel=2,
    )
    return model.getvalue()


def _in_script(piece: str, lang: str) -> bool:
    text = piece.replace("▁", "")
    names = _SCRIPTS.get(lang)
    if not text:
        return False
    if names is None:  # unknown target: any alphabetic piece
        return text.isalpha()
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and all(any(unicodedata.name(c, "").startswith(n) for n in names) for c in letters)


def _is_kept(piece: str) -> bool:
    """Digits and punctuation pass through unchanged, so numbers survive "translation"."""
    text = piece.replace("▁", "")
    return bool(text) and not any(c.isalpha() for c in text)


def build_spec(vocab: list[str], to_code: str, *, d_model: int = 256, seed: int = 7):
    """A one-layer CTranslate2 Transformer that maps source token i to a target-script token.

    Cross-attention matches decoder position t to source position t through random position
    codes, and carries a random code of the source token (in dimensions of its own). The
    output projection turns the code into the nearest target-script token; digits and
    punctuation map to themselves. The source gets </s> appended (add_source_eos), which maps to
    </s>, so output length follows input length. Everything else is zero: no loops, no drift.
    """
    from ctranslate2.specs import transformer_spec

    rng = np.random.default_rng(seed)
    spec = transformer_spec.TransformerSpec.from_config(num_layers=(1, 1), num_heads=1, pre_norm=True)
    spec.config.add_source_eos = True
    n, d = len(vocab), d_model
    pos_dims = np.arange(0, d - 96)  # position codes live here...
    code_dims = np.arange(d - 96, d)  # ...and token codes here, so neither disturbs the other
    zeros = lambda *shape: np.zeros(shape, np.float32)  # noqa: E731

    def norm(layer) -> None:
        layer.gamma = np.ones(d, np.float32)
        layer.beta = zeros(d)

    def linear(layer, weight: np.ndarray) -> None:
        layer.weight = weight.astype(np.float32)
        layer.bias = zeros(weight.shape[0])

    # Words get codes in one subspace, digits/punctuation/</s> in another, so a word never
    # turns into a number and a number always comes out as itself.
    kept = np.array([_is_kept(p) or p == "</s>" for p in vocab])
    words = rng.standard_normal((n, 80)).astype(np.float32)
    # One word dimension says whether a piece starts a word, so word boundaries (spaces) survive.
    words[:, -1] = [2.0 if piece.startswith("▁") else -2.0 for piece in vocab]
    symbols = rng.standard_normal((n, len(code_dims) - 80)).astype(np.float32)
    codes = np.where(
        kept[:, None], np.hstack([np.zeros_like(words), symbols]), np.hstack([words, np.zeros_like(symbols)])
    )
    codes /= np.linalg.norm(codes, axis=1, keepdims=True)

    # Random, nearly orthogonal position codes instead of sinusoids: position t matches only t.
    positions = zeros(MAX_POSITIONS, d)
    positions[:, pos_dims] = rng.choice([-1.0, 1.0], size=(MAX_POSITIONS, len(pos_dims)))
    enc, dec = spec.encoder, spec.decoder
    enc.position_encodings.encodings = positions
    dec.position_encodings.encodings = positions
    source_embeddings = zeros(n, d)
    source_embeddings[:, code_dims] = codes * 0.5  # scaled by sqrt(d) inside the model
    enc.embeddings[0].weight = source_embeddings
    norm(enc.layer_norm)
    (enc_layer,) = enc.layer
    norm(enc_layer.self_attention.layer_norm)
    linear(enc_layer.self_attention.linear[0], zeros(3 * d, d))
    linear(enc_layer.self_attention.linear[1], zeros(d, d))
    norm(enc_layer.ffn.layer_norm)
    linear(enc_layer.ffn.linear_0, zeros(4, d))
    linear(enc_layer.ffn.linear_1, zeros(d, 4))

    dec.embeddings.weight = zeros(n, d)
    norm(dec.layer_norm)
    (dec_layer,) = dec.layer
    norm(dec_layer.self_attention.layer_norm)
    linear(dec_layer.self_attention.linear[0], zeros(3 * d, d))
    linear(dec_layer.self_attention.linear[1], zeros(d, d))
    norm(dec_layer.ffn.layer_norm)
    linear(dec_layer.ffn.linear_0, zeros(4, d))
    linear(dec_layer.ffn.linear_1, zeros(d, 4))

    cross = dec_layer.attention
    norm(cross.layer_norm)
    query = zeros(d, d)
    query[pos_dims, pos_dims] = 12.0  # sharp attention on the matching position
    key_value = zeros(2 * d, d)
    key_value[pos_dims, pos_dims] = 1.0
    key_value[d + code_dims, code_dims] = 1.0
    out = zeros(d, d)
    out[code_dims, code_dims] = 4.0
    linear(cross.linear[0], query)
    linear(cross.linear[1], key_value)
    linear(cross.linear[2], out)

    allowed = np.array([_in_script(p, to_code) or _is_kept(p) for p in vocab])
    eos = vocab.index("</s>")
    allowed[eos] = True
    targets = np.flatnonzero(allowed)
    projection = zeros(n, d)
    # Each allowed output token answers to its own code; the rest can never win.
    projection[np.ix_(targets, code_dims)] = codes[targets] * 8.0
    bias = np.full(n, -1e4, np.float32)
    bias[targets] = 0.0
    linear(dec.projection, projection)
    dec.projection.bias = bias
    spec.register_source_vocabulary(vocab)
    spec.register_target_vocabulary(vocab)
    return spec


def build_package(
    to_code: str,
    out_dir: Path,
    *,
    from_code: str = "en",
    vocab_size: int = 600,
    seed: int = 7,
    **model_options,
) -> Path:
    """Write ``{out_dir}/translate-{from}_{to}-demo.argosmodel`` and return its path."""
    sentences = corpus(from_code) + corpus(to_code)
    sp_bytes = _train_sentencepiece(sentences, vocab_size)

    import sentencepiece as spm

    processor = spm.SentencePieceProcessor(model_proto=sp_bytes)
    vocab = [processor.id_to_piece(i) for i in range(processor.get_piece_size())]
    # CTranslate2 expects these names for the special tokens.
    vocab = ["<unk>", "<s>", "</s>"] + [p for p in vocab if p not in ("<unk>", "<s>", "</s>")]
    spec = build_spec(vocab, to_code, seed=seed, **model_options)

    name = f"translate-{from_code}_{to_code}-demo"
    out_dir.mkdir(parents=True, exist_ok=True)
    archive = out_dir / f"{name}.argosmodel"
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / name
        (root / "model").mkdir(parents=True)
        spec.validate()
        spec.optimize(quantization="int8")
        spec.save(str(root / "model"))
        (root / "sentencepiece.model").write_bytes(sp_bytes)
        metadata = {
            "package_version": DEMO_VERSION,
            "argos_version": "1.11",
            "from_code": from_code,
            "from_name": from_code,
            "to_code": to_code,
            "to_name": to_code,
            "name": f"syndicate-demo {from_code}->{to_code} (not a translation model)",
            DEMO_KEY: True,
        }
        (root / "metadata.json").write_text(json.dumps(metadata, indent=2), "utf-8")
        (root / "README.md").write_text(
            "Demo package built by syndicate. Random weights: its output is NOT a translation.\n", "utf-8"
        )
        partial = archive.with_suffix(".partial")
        with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as zf:
            for path in sorted(root.rglob("*")):
                zf.write(path, path.relative_to(tmp))
        shutil.move(partial, archive)
    return archive
