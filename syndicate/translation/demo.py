"""Build valid Argos packages offline, for tests, benchmarks and the offline demo.

THE OUTPUT OF THESE MODELS IS NOT A TRANSLATION. The model is a positional "cipher": decoder
step t attends to source token t and emits a target-script token chosen by a seeded random code
of that source token. Digits and punctuation map to themselves, the source gets </s> appended
(``add_source_eos``) which maps to </s>, so output length follows input length and decoding ends
by itself, as a real model's does. The target tokens are those of the target's script (the
language registry's); a target sharing the source's script (de, es) gets a narrower alphabet,
so its output does not read as English (syndicate/translation/demo_alphabet.py). Packages
say ``syndicate_demo: true`` in metadata.json, and every feed entry names the model.

The shape is configurable: ``TINY`` (1+1 layers, d256) builds in ~1 s for tests; ``BASE``
(6+6 layers, d512, ffn 2048, 8 heads, 32k vocabulary) has the size of the official packages, so
it costs the same compute per token: unused attention and feed-forward matrices hold random
weights, and only their output projections are zero. Only numpy, sentencepiece and ctranslate2
are needed (no torch). The same cipher also comes with a BPE tokenizer or in the official
packages' layout (:mod:`syndicate.translation.demo_variants`), for tests.
"""

from __future__ import annotations

import io
import json
import os
import re
import tempfile
import zipfile
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import numpy as np
import numpy.typing as npt

from syndicate import languages
from syndicate.translation import demo_alphabet
from syndicate.translation.packages import DEMO_KEY

if TYPE_CHECKING:
    # ctranslate2 ships no type hints: these name the spec classes for readers only.
    from ctranslate2.specs.common_spec import LayerNormSpec, LinearSpec
    from ctranslate2.specs.transformer_spec import (
        TransformerDecoderLayerSpec,
        TransformerEncoderLayerSpec,
        TransformerSpec,
    )

FloatArray = npt.NDArray[np.float32]

DEMO_VERSION = "0.1.0"
# Longest input (in SentencePiece tokens) the demo model accepts; CTranslate2 truncates beyond.
MAX_POSITIONS = 1024
CODE_DIMS = 96  # model dimensions that carry token identity; the rest carry position
WORD_DIMS = 80  # of those, the ones for words; the rest for digits, punctuation and </s>
SPECIAL = ("<unk>", "<s>", "</s>")


@dataclass(frozen=True)
class Shape:
    """A Transformer's size: (encoder, decoder) layers, model width, attention heads,
    feed-forward width, and SentencePiece vocabulary size (pieces). ``d_model`` must exceed
    CODE_DIMS and divide by ``heads``."""

    layers: tuple[int, int] = (1, 1)
    d_model: int = 256
    heads: int = 1
    ffn: int = 8
    vocab_size: int = 600  # total SentencePiece vocabulary, padded with unused symbols if needed


TINY = Shape()
BASE = Shape(layers=(6, 6), d_model=512, heads=8, ffn=2048, vocab_size=32000)


def corpus(lang: str) -> list[str]:
    """The non-blank lines of ``syndicate/demo/corpus/{lang}.txt``, SentencePiece's training
    text. Raises FileNotFoundError for a language without a corpus."""
    text = resources.files("syndicate.demo").joinpath(f"corpus/{lang}.txt").read_text("utf-8")
    return [line for line in text.splitlines() if line.strip()]


def _train_sentencepiece(sentences: list[str], vocab_size: int) -> bytes:
    """Learn pieces from the text; pad to ``vocab_size`` with symbols that never occur in text.

    Returns the serialized SentencePiece model (unigram, full character coverage, no byte
    fallback). At most 4,000 pieces are learned; the rest are ``⦃nnnnn⦄`` padding symbols.
    """
    import sentencepiece as spm

    def train(size: int, padding: list[str]) -> bytes:
        model = io.BytesIO()
        spm.SentencePieceTrainer.train(
            sentence_iterator=iter(sentences),
            model_writer=model,
            vocab_size=size,
            model_type="unigram",
            character_coverage=1.0,
            hard_vocab_limit=False,
            byte_fallback=False,
            user_defined_symbols=padding,
            minloglevel=2,
        )
        return model.getvalue()

    learned = train(min(vocab_size, 4000), [])
    size = spm.SentencePieceProcessor(model_proto=learned).get_piece_size()
    if size >= vocab_size:
        return learned
    padding = [f"\u2983{i:05d}\u2984" for i in range(vocab_size - size)]
    return train(vocab_size, padding)


def _bare(piece: str) -> str:
    """A vocabulary entry without its word marks: SentencePiece's ``▁`` (a word starts here) and
    BPE's ``@@`` suffix (the word goes on)."""
    return piece.replace("▁", "").removesuffix("@@")


def _in_script(piece: str, lang: str) -> bool:
    """A piece the demo model may emit for ``lang``: all its letters in the language's script
    (the registry's; any letters for a language not in the registry); never padding."""
    text = _bare(piece)
    if not text or text.startswith("\u2983"):
        return False
    entry = languages.find(lang)
    if entry is None:  # unknown target: any alphabetic piece
        return text.isalpha()
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and all(entry.in_script(c) for c in letters)


# Moses tokenization (BPE packages, through sacremoses) writes these characters as entities; a
# real model copies them as the punctuation they are.
_MOSES_ESCAPES = re.compile(r"&(?:amp|lt|gt|quot|apos|#91|#93|#124);")


def _is_kept(piece: str) -> bool:
    """Digits and punctuation pass through unchanged, so numbers survive "translation"."""
    text = _MOSES_ESCAPES.sub("", _bare(piece)) if "&" in piece else _bare(piece)
    if not text:  # a Moses escape alone, or with other such escapes
        return bool(_bare(piece))
    return not text.startswith("\u2983") and not any(c.isalpha() for c in text)


def build_spec(
    vocab: list[str],
    to_code: str,
    shape: Shape = TINY,
    seed: int = 7,
    avoid: frozenset[str] = frozenset(),
    bpe: bool = False,
) -> TransformerSpec:
    """The cipher as a CTranslate2 Transformer spec (see the module docstring).

    ``vocab`` is the shared source and target vocabulary, starting with SPECIAL: SentencePiece
    pieces, or with ``bpe`` BPE subwords (``@@`` ending all but a word's last); ``seed`` makes
    the weights (so the cipher) reproducible; pieces in ``avoid`` are never emitted (see
    :func:`~syndicate.translation.demo_alphabet.avoided_pieces`). Inputs longer than MAX_POSITIONS tokens are
    truncated by CTranslate2. Raises ValueError when ``vocab`` lacks ``<s>``.
    """
    from ctranslate2.specs import transformer_spec

    rng = np.random.default_rng(seed)
    spec = transformer_spec.TransformerSpec.from_config(
        num_layers=shape.layers,
        num_heads=shape.heads,
        pre_norm=True,
        # Unknown tokens are copied from the source position this layer attends to.
        alignment_layer=0,
        alignment_heads=1,
    )
    spec.config.add_source_eos = True
    n, d, heads = len(vocab), shape.d_model, shape.heads
    head_dim = d // heads
    pos_dims = np.arange(0, d - CODE_DIMS)
    code_dims = np.arange(d - CODE_DIMS, d)

    def zeros(*dims: int) -> FloatArray:
        return np.zeros(dims, np.float32)

    def noise(*dims: int) -> FloatArray:
        return (rng.standard_normal(dims) * 0.02).astype(np.float32)

    def norm(layer: LayerNormSpec) -> None:
        layer.gamma = np.ones(d, np.float32)
        layer.beta = zeros(d)

    def linear(layer: LinearSpec, weight: FloatArray) -> None:
        """A dense layer: ``weight`` is (outputs, inputs); the bias is zero."""
        layer.weight = weight.astype(np.float32)
        layer.bias = zeros(weight.shape[0])

    def inert_block(
        layer: TransformerEncoderLayerSpec | TransformerDecoderLayerSpec, with_cross: bool
    ) -> None:
        """Random weights whose output projections are zero: full compute, no effect."""
        norm(layer.self_attention.layer_norm)
        linear(layer.self_attention.linear[0], noise(3 * d, d))
        linear(layer.self_attention.linear[1], zeros(d, d))
        if with_cross:
            norm(layer.attention.layer_norm)
            linear(layer.attention.linear[0], noise(d, d))
            linear(layer.attention.linear[1], noise(2 * d, d))
            linear(layer.attention.linear[2], zeros(d, d))
        norm(layer.ffn.layer_norm)
        linear(layer.ffn.linear_0, noise(shape.ffn, d))
        linear(layer.ffn.linear_1, zeros(d, shape.ffn))

    # Token codes: words in one subspace, kept symbols in another, so a word never turns into a
    # number and a number always comes out as itself.
    kept = np.array([_is_kept(p) or p in ("</s>", "<unk>") for p in vocab])
    words = rng.standard_normal((n, WORD_DIMS)).astype(np.float32)
    # One word dimension says whether a piece starts a word (SentencePiece) or ends one (BPE), so
    # word boundaries survive.
    bounds = [not p.endswith("@@") if bpe else p.startswith("▁") for p in vocab]
    words[:, -1] = np.where(bounds, 2.0, -2.0)
    symbols = rng.standard_normal((n, CODE_DIMS - WORD_DIMS)).astype(np.float32)
    codes = np.where(
        kept[:, None],
        np.hstack([np.zeros_like(words), symbols]),
        np.hstack([words, np.zeros_like(symbols)]),
    )
    codes /= np.linalg.norm(codes, axis=1, keepdims=True)

    # Random, nearly orthogonal position codes: position t matches only t.
    positions = zeros(MAX_POSITIONS, d)
    positions[:, pos_dims] = rng.choice([-1.0, 1.0], size=(MAX_POSITIONS, len(pos_dims)))

    enc, dec = spec.encoder, spec.decoder
    enc.position_encodings.encodings = positions
    dec.position_encodings.encodings = positions
    source_embeddings = zeros(n, d)
    source_embeddings[:, code_dims] = codes * 0.5  # CTranslate2 scales by sqrt(d)
    enc.embeddings[0].weight = source_embeddings
    norm(enc.layer_norm)
    for layer in enc.layer:
        inert_block(layer, with_cross=False)

    dec.embeddings.weight = zeros(n, d)
    norm(dec.layer_norm)
    for layer in dec.layer:
        inert_block(layer, with_cross=True)

    # The first decoder layer's cross-attention does the copying. Each head matches positions
    # on its own sample of position dimensions, and carries one slice of the token code.
    cross = dec.layer[0].attention
    query, key_value, out = zeros(d, d), zeros(2 * d, d), zeros(d, d)
    match = min(head_dim, len(pos_dims))
    for head in range(heads):
        rows = np.arange(head * head_dim, head * head_dim + match)
        sample = rng.choice(pos_dims, size=match, replace=False)
        query[rows, sample] = 12.0 * np.sqrt(head_dim / match)
        key_value[rows, sample] = 1.0
    for i, dim in enumerate(code_dims):  # value slot i of the concatenated heads
        key_value[d + i, dim] = 1.0
        out[dim, i] = 4.0
    linear(cross.linear[0], query)
    linear(cross.linear[1], key_value)
    linear(cross.linear[2], out)

    allowed = np.array([_in_script(p, to_code) and p not in avoid for p in vocab]) | kept
    allowed[vocab.index("<s>")] = False
    targets = np.flatnonzero(allowed)
    projection = zeros(n, d)
    # Each allowed output token answers to its own code; nothing else can win.
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
    shape: Shape = TINY,
    extra_text: list[str] | None = None,
    version: str | None = None,
    seed: int = 7,
    tokenizer: Literal["sentencepiece", "bpe"] = "sentencepiece",
    layout: Literal["demo", "official"] = "demo",
) -> Path:
    """Write ``{out_dir}/{folder}.argosmodel`` and return its path.

    ``extra_text`` joins the tokenizer's training text, so its words become whole pieces (as
    with a real model's large vocabulary) instead of single characters. The archive has the
    layout :func:`packages.validate_archive` checks and int8 weights. ``tokenizer`` "bpe" writes
    a ``bpe.model`` instead of ``sentencepiece.model`` (needs subword-nmt, the test extra).
    ``layout`` "demo" puts ``syndicate_demo: true`` in the metadata, version ``version`` or
    DEMO_VERSION, in folder ``translate-{from}_{to}-demo`` (``-demo-bpe`` for BPE); "official"
    copies an official package's shape instead (:mod:`demo_variants`: index metadata, version
    the index's unless given, ``stanza/``, folder ``translate-{from}_{to}-{version}``), without
    the demo marker, so tests alone use it. The archive is written beside its final name and
    moved in, so a reader never sees half of it. Raises FileNotFoundError when ``from_code`` or
    ``to_code`` has no corpus.
    """
    from syndicate.translation import demo_variants

    sentences = corpus(from_code) + corpus(to_code) + list(extra_text or [])
    if tokenizer == "bpe":
        codes, subwords = demo_variants.train_bpe(
            {from_code: corpus(from_code) + list(extra_text or []), to_code: corpus(to_code)}
        )
        tokenizer_file, tokenizer_bytes = "bpe.model", codes.encode("utf-8")
        pieces = subwords
    else:
        import sentencepiece as spm

        tokenizer_file, tokenizer_bytes = (
            "sentencepiece.model",
            _train_sentencepiece(sentences, shape.vocab_size),
        )
        processor = spm.SentencePieceProcessor(model_proto=tokenizer_bytes)
        pieces = [processor.id_to_piece(i) for i in range(processor.get_piece_size())]
    # CTranslate2 expects these names for the special tokens.
    vocab = list(SPECIAL) + [p for p in pieces if p not in SPECIAL]
    # BPE test packages translate into ru and ja, other scripts than English: nothing to avoid.
    avoid = (
        frozenset()
        if tokenizer == "bpe"
        else demo_alphabet.avoided_pieces(
            vocab, processor, from_code, to_code, corpus(from_code) + list(extra_text or []), corpus(to_code)
        )
    )
    spec = build_spec(vocab, to_code, shape, seed=seed, avoid=avoid, bpe=tokenizer == "bpe")

    if layout == "official":
        official = demo_variants.official_metadata(from_code, to_code, version)
        metadata: dict[str, object] = dict(official)
        name = demo_variants.official_folder(official)
    else:
        metadata = {
            "package_version": version or DEMO_VERSION,
            "argos_version": "1.11",
            "from_code": from_code,
            "from_name": from_code,
            "to_code": to_code,
            "to_name": to_code,
            "name": f"syndicate-demo {from_code}->{to_code} (not a translation model)",
            DEMO_KEY: True,
        }
        name = f"translate-{from_code}_{to_code}-demo" + ("-bpe" if tokenizer == "bpe" else "")
    out_dir.mkdir(parents=True, exist_ok=True)
    archive = out_dir / f"{name}.argosmodel"
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / name
        (root / "model").mkdir(parents=True)
        spec.validate()
        spec.optimize(quantization="int8")
        spec.save(str(root / "model"))
        (root / tokenizer_file).write_bytes(tokenizer_bytes)
        (root / "metadata.json").write_text(json.dumps(metadata, indent=2), "utf-8")
        if layout == "official":
            demo_variants.write_official_extras(root, from_code)
        else:
            (root / "README.md").write_text(
                "Demo package built by syndicate. Its output is NOT a translation.\n", "utf-8"
            )
        # A name of its own: two builds at once (two `models demo`) must not share a file.
        fd, partial_name = tempfile.mkstemp(dir=out_dir, prefix=f".{name}.", suffix=".partial")
        os.close(fd)
        partial = Path(partial_name)
        try:
            with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as zf:
                for path in sorted(root.rglob("*")):
                    zf.write(path, path.relative_to(tmp))
            os.replace(partial, archive)
        finally:
            partial.unlink(missing_ok=True)
    return archive
