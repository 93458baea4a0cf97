"""Make real media for the checks' tests: images, speech-like audio, C2PA-signed copies, hostile files.

Everything is generated (Pillow, PyAV) and signed with a throwaway CA made with `cryptography`:
an ES256 root and a leaf with digitalSignature key usage and the emailProtection EKU, which
c2pa-rs accepts for signing. Nothing is downloaded and nothing is checked in.
"""

from __future__ import annotations

import datetime
import io
import struct
import zlib
from dataclasses import dataclass
from pathlib import Path

import av
import c2pa
import numpy as np
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from PIL import Image, PngImagePlugin

IPTC = "http://cv.iptc.org/newscodes/digitalsourcetype/"


# --- a throwaway certificate authority ------------------------------------------------------------


@dataclass(frozen=True)
class TestCA:
    ca_pem: str
    chain_pem: str  # leaf then root, what the signer embeds
    key_pem: str
    signer_name: str
    organization: str

    def write_anchors(self, path: Path) -> Path:
        path.write_text(self.ca_pem)
        return path


def _name(common_name: str, organization: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organization),
        ]
    )


def _usage(*, signer: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=True,
        content_commitment=False,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=not signer,
        crl_sign=not signer,
        encipher_only=False,
        decipher_only=False,
    )


def make_ca(*, signer_name: str = "Newsroom Camera Signer", organization: str = "Test Newsroom") -> TestCA:
    now = datetime.datetime.now(datetime.UTC)
    root_key = ec.generate_private_key(ec.SECP256R1())
    root = (
        x509.CertificateBuilder()
        .subject_name(_name(f"{organization} Root CA", organization))
        .issuer_name(_name(f"{organization} Root CA", organization))
        .public_key(root_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=365))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(_usage(signer=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(root_key.public_key()), critical=False)
        .sign(root_key, hashes.SHA256())
    )
    leaf_key = ec.generate_private_key(ec.SECP256R1())
    leaf = (
        x509.CertificateBuilder()
        .subject_name(_name(signer_name, organization))
        .issuer_name(root.subject)
        .public_key(leaf_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_usage(signer=True), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(root_key.public_key()), critical=False
        )
        .sign(root_key, hashes.SHA256())
    )

    def pem(cert: x509.Certificate) -> str:
        return cert.public_bytes(serialization.Encoding.PEM).decode()

    key_pem = leaf_key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    return TestCA(pem(root), pem(leaf) + pem(root), key_pem, signer_name, organization)


def c2pa_sign(
    data: bytes,
    mime_type: str,
    ca: TestCA,
    *,
    digital_source_type: str = "trainedAlgorithmicMedia",
    generator: str = "ImageGen AI",
) -> bytes:
    """Return `data` with an embedded C2PA manifest declaring `digital_source_type`."""
    manifest = {
        "claim_generator_info": [{"name": generator, "version": "1.0"}],
        "title": "fixture",
        "assertions": [
            {
                "label": "c2pa.actions",
                "data": {
                    "actions": [{"action": "c2pa.created", "digitalSourceType": IPTC + digital_source_type}]
                },
            }
        ],
    }
    signer = c2pa.Signer.from_info(
        c2pa.C2paSignerInfo(b"es256", ca.chain_pem.encode(), ca.key_pem.encode(), None)
    )
    out = io.BytesIO()
    with c2pa.Builder(manifest) as builder:
        builder.sign(signer, mime_type, io.BytesIO(data), out)
    return out.getvalue()


def c2pa_sign_remote(data: bytes, mime_type: str, ca: TestCA, *, remote_url: str) -> bytes:
    """Return `data` pointing at a manifest stored at `remote_url` instead of embedding it."""
    manifest = {
        "claim_generator_info": [{"name": "CloudSigner", "version": "1.0"}],
        "title": "fixture",
        "assertions": [
            {
                "label": "c2pa.actions",
                "data": {
                    "actions": [{"action": "c2pa.created", "digitalSourceType": IPTC + "digitalCapture"}]
                },
            }
        ],
    }
    signer = c2pa.Signer.from_info(
        c2pa.C2paSignerInfo(b"es256", ca.chain_pem.encode(), ca.key_pem.encode(), None)
    )
    out = io.BytesIO()
    with c2pa.Builder(manifest) as builder:
        builder.set_no_embed()
        builder.set_remote_url(remote_url)
        builder.sign(signer, mime_type, io.BytesIO(data), out)
    return out.getvalue()


def tamper(data: bytes, *, at_fraction: float | None = None) -> bytes:
    """Flip one byte in the content after signing, as an edit that keeps the manifest would.

    By default the byte 20 from the end: past the manifest, inside the image scan or the samples.
    """
    changed = bytearray(data)
    index = len(changed) - 20 if at_fraction is None else int(len(changed) * at_fraction)
    changed[index] ^= 0xFF
    return bytes(changed)


# --- images -----------------------------------------------------------------------------------------


def _scene(size: tuple[int, int], seed: int) -> Image.Image:
    """A photo-like scene: soft colour fields with a few hard-edged shapes, different per seed."""
    from PIL import ImageDraw

    rng = np.random.default_rng(seed)
    base = rng.integers(0, 255, size=(6, 6, 3), dtype=np.uint8)
    image = Image.fromarray(base).resize(size, Image.BICUBIC)
    draw = ImageDraw.Draw(image)
    width, height = size
    for _ in range(6):
        x0, y0 = int(rng.integers(0, width * 3 // 4)), int(rng.integers(0, height * 3 // 4))
        x1, y1 = (
            x0 + int(rng.integers(width // 8, width // 3)),
            y0 + int(rng.integers(height // 8, height // 3)),
        )
        colour = tuple(int(c) for c in rng.integers(0, 255, size=3))
        (draw.ellipse if rng.random() < 0.5 else draw.rectangle)([x0, y0, x1, y1], fill=colour)
    return image


def jpeg_bytes(*, size=(96, 64), seed: int = 1, exif_software: str | None = None, quality: int = 90) -> bytes:
    image = _scene(size, seed)
    kwargs = {"quality": quality}
    if exif_software:
        exif = Image.Exif()
        exif[0x0131] = exif_software
        kwargs["exif"] = exif.tobytes()
    out = io.BytesIO()
    image.save(out, "JPEG", **kwargs)
    return out.getvalue()


def png_bytes(
    *, size=(96, 64), seed: int = 2, text: dict[str, str] | None = None, xmp: bytes | None = None
) -> bytes:
    info = PngImagePlugin.PngInfo()
    for key, value in (text or {}).items():
        info.add_text(key, value)
    if xmp is not None:
        info.add_itxt("XML:com.adobe.xmp", xmp.decode())
    out = io.BytesIO()
    _scene(size, seed).save(out, "PNG", pnginfo=info)
    return out.getvalue()


def xmp_packet(
    *, digital_source_type: str, creator_tool: str | None = None, attribute_form: bool = False
) -> bytes:
    """An XMP packet declaring an IPTC DigitalSourceType, as Photoshop/Firefly or a camera would."""
    tool = f' xmp:CreatorTool="{creator_tool}"' if creator_tool else ""
    if attribute_form:
        body = (
            f'<rdf:Description rdf:about=""{tool} '
            f'Iptc4xmpExt:DigitalSourceType="{IPTC}{digital_source_type}"/>'
        )
    else:
        body = (
            f'<rdf:Description rdf:about=""{tool}>'
            f"<Iptc4xmpExt:DigitalSourceType>{IPTC}{digital_source_type}</Iptc4xmpExt:DigitalSourceType>"
            "</rdf:Description>"
        )
    return (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
        'xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmlns:Iptc4xmpExt="http://iptc.org/std/Iptc4xmpExt/2008-02-29/">'
        f'{body}</rdf:RDF></x:xmpmeta><?xpacket end="w"?>'
    ).encode()


def jpeg_with_xmp(xmp: bytes, **kwargs) -> bytes:
    data = jpeg_bytes(**kwargs)
    payload = b"http://ns.adobe.com/xap/1.0/\x00" + xmp
    segment = b"\xff\xe1" + struct.pack(">H", len(payload) + 2) + payload
    return data[:2] + segment + data[2:]


def webp_with_xmp(xmp: bytes) -> bytes:
    out = io.BytesIO()
    _scene((64, 64), 3).save(out, "WEBP", xmp=xmp)
    return out.getvalue()


def mp4_bytes(*, frames: int = 5, size: int = 64) -> bytes:
    """A short real MP4 video (PyAV, mpeg4 codec)."""
    out = io.BytesIO()
    with av.open(out, "w", format="mp4") as container:
        stream = container.add_stream("mpeg4", rate=10)
        stream.width, stream.height, stream.pix_fmt = size, size, "yuv420p"
        for i in range(frames):
            frame = av.VideoFrame.from_ndarray(
                np.full((size, size, 3), i * 40, dtype=np.uint8), format="rgb24"
            )
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)
    return out.getvalue()


def mp4_with_xmp(xmp: bytes) -> bytes:
    """A short MP4 with an XMP uuid box appended at top level, where Adobe tools put it."""
    body = bytes.fromhex("BE7ACFCB97A942E89C71999491E3AFAC") + xmp
    return mp4_bytes() + struct.pack(">I4s", len(body) + 8, b"uuid") + body


# --- audio ------------------------------------------------------------------------------------------

AUDIO_FORMATS = {
    # extension: (container format, codec, mime type c2pa signs as)
    "wav": ("wav", "pcm_s16le", "audio/wav"),
    "mp3": ("mp3", "libmp3lame", "audio/mpeg"),
    "m4a": ("ipod", "aac", "audio/mp4"),
    "flac": ("flac", "flac", "audio/flac"),
}


def speechlike_pcm(*, seconds: float = 1.0, rate: int = 16000, seed: int = 5) -> np.ndarray:
    """A voiced, formant-shaped signal with syllable-rate amplitude modulation."""
    t = np.arange(int(seconds * rate)) / rate
    rng = np.random.default_rng(seed)
    f0 = 120 + 20 * np.sin(2 * np.pi * 0.5 * t)
    phase = 2 * np.pi * np.cumsum(f0) / rate
    voice = sum(np.sin(k * phase) / k for k in range(1, 12))
    envelope = 0.5 + 0.5 * np.sin(2 * np.pi * 4 * t) ** 2
    signal = voice * envelope + 0.01 * rng.standard_normal(t.size)
    return (signal / np.max(np.abs(signal)) * 0.5 * 32767).astype(np.int16)


def audio_bytes(ext: str, *, seconds: float = 1.0, rate: int = 44100) -> bytes:
    fmt, codec, _ = AUDIO_FORMATS[ext]
    pcm = speechlike_pcm(seconds=seconds, rate=rate).reshape(1, -1)
    out = io.BytesIO()
    with av.open(out, "w", format=fmt) as container:
        stream = container.add_stream(codec, rate=rate)
        stream.layout = "mono"
        frame = av.AudioFrame.from_ndarray(pcm, format="s16", layout="mono")
        frame.sample_rate = rate
        for packet in stream.encode(frame):
            container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)
    return out.getvalue()


# --- hostile files ----------------------------------------------------------------------------------


def random_with_jpeg_header(size: int = 200_000, seed: int = 7) -> bytes:
    return b"\xff\xd8\xff\xe0" + np.random.default_rng(seed).bytes(size)


def truncated(data: bytes, fraction: float = 0.5) -> bytes:
    return data[: int(len(data) * fraction)]


def _png_chunk(ctype: bytes, body: bytes) -> bytes:
    return (
        struct.pack(">I", len(body)) + ctype + body + struct.pack(">I", zlib.crc32(ctype + body) & 0xFFFFFFFF)
    )


def png_zip_bomb(*, inflated_mb: int = 512) -> bytes:
    """A PNG whose zTXt chunk inflates to `inflated_mb` MB and whose IHDR claims 60000x60000 pixels."""
    compressor = zlib.compressobj(9)
    zeros = b"\x00" * (1 << 20)
    bomb = b"".join(compressor.compress(zeros) for _ in range(inflated_mb)) + compressor.flush()
    ihdr = struct.pack(">IIBBBBB", 60000, 60000, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 1024)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", ihdr)
        + _png_chunk(b"zTXt", b"Comment\x00\x00" + bomb)
        + _png_chunk(b"IDAT", idat)
        + _png_chunk(b"IEND", b"")
    )


def jpeg_segment_flood(segments: int = 100_000) -> bytes:
    """A JPEG that is nothing but empty APP segments: a parser looping per segment must give up."""
    return b"\xff\xd8" + b"\xff\xe2\x00\x02" * segments + b"\xff\xd9"


# --- MP3 with ID3 tags --------------------------------------------------------------------------------


def mp3_bytes(tmp_path: Path, *, seconds: float = 1.0) -> Path:
    """A real MP3 as ffmpeg makes it (libmp3lame): its ID3v2.4 tag carries TSSE "Lavf..."."""
    import subprocess

    path = tmp_path / "tone.mp3"
    subprocess.run(
        ["ffmpeg", "-loglevel", "error", "-y", "-f", "lavfi", "-i", f"sine=frequency=220:duration={seconds}"]
        + ["-c:a", "libmp3lame", "-b:a", "64k", str(path)],
        check=True,
        timeout=60,
    )
    return path


def mp3_tagged(tmp_path: Path, *frames) -> bytes:
    """An ffmpeg MP3 with mutagen ID3 frames (e.g. `TSSE(encoding=3, text=[...])`) added or replaced."""
    from mutagen.id3 import ID3

    path = mp3_bytes(tmp_path)
    tag = ID3(path)
    for frame in frames:
        tag.add(frame)
    tag.save(path)
    return path.read_bytes()


def id3_declared_size(data: bytes, size: int) -> bytes:
    """`data` with its ID3 header claiming a tag of `size` bytes (syncsafe, at most 256 MiB)."""
    syncsafe = bytes(((size >> 21) & 0x7F, (size >> 14) & 0x7F, (size >> 7) & 0x7F, size & 0x7F))
    return data[:6] + syncsafe + data[10:]


def id3_frame_flood(size: int = 4 * 1024 * 1024) -> bytes:
    """An ID3v2.4 tag of `size` bytes of tiny one-byte TXXX frames, then an MPEG frame header."""
    body = (b"TXXX\x00\x00\x00\x01\x00\x00\x00") * (size // 11)
    return id3_declared_size(b"ID3\x04\x00\x00\x00\x00\x00\x00", len(body)) + body + b"\xff\xfb\x90\x64"


def id3_random_after_header(size: int = 200_000, seed: int = 11) -> bytes:
    return b"ID3\x04\x00\x00" + np.random.default_rng(seed).bytes(size)
