"""Real media for the bank tests and benchmarks, made with espeak-ng, ffmpeg and Pillow.

The app itself never needs these tools; only tests and benchmarks do.
"""

from __future__ import annotations

import subprocess
import wave
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageEnhance, ImageFilter

SENTENCES = [
    "The polling stations will open at seven in the morning and close at eight in the evening.",
    "Our candidate promises to lower taxes for every family and to build new hospitals in the north.",
    "Voters must bring a valid identity card or a passport to the polling station on election day.",
    "The electoral commission has confirmed that the count will be completed by Sunday night.",
    "I never said that the election was cancelled, this recording is fake and was made by a machine.",
    "Please remember that postal ballots must arrive before the deadline to be counted.",
    "The minister announced a new plan for public transport in the capital city next spring.",
    "Turnout in the first round was higher than in any election during the last twenty years.",
    "Do not believe messages that tell you to vote by text message, that is not possible.",
    "The debate between the two finalists will be broadcast live on national television tonight.",
    "Farmers in the south are worried about the drought and ask the government for support.",
    "Results from the overseas territories usually arrive late because of the time difference.",
    "Volunteers counted the ballots by hand while observers from three parties watched closely.",
    "The mayor opened the new library on Tuesday and thanked the workers who built it.",
    "Heavy rain is expected along the coast tomorrow, so drivers should take extra care.",
    "Schools will remain closed on election day because many of them are used as polling stations.",
    "A recording circulating online claims the vote has been postponed, but officials deny it.",
    "The football club celebrated its championship with a parade through the old town.",
    "Prices for bread and milk rose again last month, according to the statistics office.",
    "Young people registered to vote in record numbers after the campaign on social media.",
    "The court will decide next week whether the recount in the eastern district may go ahead.",
    "Thank you for calling the election hotline, please hold while we connect you to an agent.",
    "Our reporter spoke to voters at the market who said that the economy is their main concern.",
    "The new bridge across the river will shorten the journey to the airport by twenty minutes.",
]
VOICES = ["en", "en-us", "en-gb-x-rp", "en+f3", "en+m3", "en-us+f2", "en+m7", "en-gb-scotland"]


def run(*args: str) -> None:
    """Run a tool, failing loudly with its stderr."""
    subprocess.run(list(args), check=True, capture_output=True, timeout=120)


def speech(path: Path, *, text: str, voice: str = "en", words_per_minute: int = 160) -> Path:
    """Synthesise a sentence to a WAV file."""
    run("espeak-ng", "-v", voice, "-s", str(words_per_minute), "-w", str(path), text)
    return path


def speech_clip(directory: Path, index: int, *, sentences: int = 2, pool: list[str] | None = None) -> Path:
    """Return a multi-sentence speech recording; index picks sentences from pool and the voice."""
    pool = pool or SENTENCES
    parts = []
    for k in range(sentences):
        text = pool[(index * sentences + k) % len(pool)]
        voice = VOICES[(index + k) % len(VOICES)]
        parts.append(speech(directory / f"part-{index}-{k}.wav", text=text, voice=voice))
    out = directory / f"speech-{index}.wav"
    concat(out, parts)
    return out


def concat(out: Path, parts: list[Path]) -> Path:
    """Concatenate audio files, resampled to 16 kHz mono."""
    args = ["ffmpeg", "-y", "-loglevel", "error"]
    for p in parts:
        args += ["-i", str(p)]
    filt = "".join(f"[{i}:a]aresample=16000,aformat=channel_layouts=mono[a{i}];" for i in range(len(parts)))
    filt += "".join(f"[a{i}]" for i in range(len(parts))) + f"concat=n={len(parts)}:v=0:a=1[out]"
    run(*args, "-filter_complex", filt, "-map", "[out]", "-ar", "16000", str(out))
    return out


def ffmpeg(src: Path, out: Path, *args: str) -> Path:
    """Transform a file with ffmpeg arguments placed between input and output."""
    run("ffmpeg", "-y", "-loglevel", "error", "-i", str(src), *args, str(out))
    return out


def read_wav(path: Path) -> tuple[np.ndarray, int]:
    """Return (float samples in [-1, 1], rate) of a 16-bit mono WAV."""
    with wave.open(str(path)) as w:
        rate = w.getframerate()
        data = np.frombuffer(w.readframes(w.getnframes()), np.int16).astype(np.float32) / 32768
        if w.getnchannels() > 1:
            data = data.reshape(-1, w.getnchannels()).mean(axis=1)
    return data, rate


def write_wav(path: Path, samples: np.ndarray, rate: int) -> Path:
    """Write float samples as a 16-bit mono WAV."""
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes((np.clip(samples, -1, 1) * 32767).astype(np.int16).tobytes())
    return path


def add_noise(src: Path, out: Path, *, snr_db: float, seed: int = 0) -> Path:
    """Add white noise at the given signal-to-noise ratio (over the speech's active power)."""
    samples, rate = read_wav(src)
    power = np.mean(samples[np.abs(samples) > 0.01] ** 2)
    noise = np.random.default_rng(seed).normal(0, np.sqrt(power / 10 ** (snr_db / 10)), samples.size)
    return write_wav(out, samples + noise.astype(np.float32), rate)


# One function per transformation the issue lists; each takes (src, workdir) and returns a new file.
def to_mp3(src: Path, work: Path) -> Path:
    return ffmpeg(src, work / f"{src.stem}.mp3", "-codec:a", "libmp3lame", "-b:a", "32k")


def to_opus(src: Path, work: Path) -> Path:
    return ffmpeg(src, work / f"{src.stem}.opus", "-codec:a", "libopus", "-b:a", "16k")


def to_telephone(src: Path, work: Path) -> Path:
    return ffmpeg(src, work / f"{src.stem}-phone.wav", "-af", "highpass=f=300,lowpass=f=3400", "-ar", "8000")


def trim(src: Path, work: Path) -> Path:
    """Keep the middle of the recording: cut 1.5 s at the start, keep 4 s."""
    return ffmpeg(src, work / f"{src.stem}-trim.wav", "-ss", "1.5", "-t", "4")


def noisy(src: Path, work: Path) -> Path:
    return add_noise(src, work / f"{src.stem}-noise.wav", snr_db=10)


def quieter(src: Path, work: Path) -> Path:
    return ffmpeg(src, work / f"{src.stem}-vol.wav", "-af", "volume=0.2")


def faster(src: Path, work: Path) -> Path:
    """Speed up 3% with pitch, as a sped-up tape or a re-clocked sample rate does."""
    return ffmpeg(src, work / f"{src.stem}-fast.wav", "-af", "asetrate=16480,aresample=16000")


def slower_tempo(src: Path, work: Path) -> Path:
    """Slow the tempo 4% keeping the pitch, as editors' time-stretch does."""
    return ffmpeg(src, work / f"{src.stem}-tempo.wav", "-af", "atempo=0.96")


def embedded(src: Path, work: Path, *, before: Path, after: Path) -> Path:
    """Put the recording between two other speech recordings."""
    return concat(work / f"{src.stem}-embedded.wav", [before, src, after])


def pitch_shifted(src: Path, work: Path, semitones: float) -> Path:
    """Shift the pitch without changing the speed, as a voice-changer app does.

    FFmpeg's rubberband filter (a phase vocoder with transient handling) when this FFmpeg has it,
    else the resample-then-time-stretch chain asetrate, aresample, atempo.
    """
    ratio = 2 ** (semitones / 12)
    if _has_rubberband():
        chain = f"rubberband=pitch={ratio:.6f}"
    else:
        chain = f"asetrate={16000 * ratio:.0f},aresample=16000,atempo={1 / ratio:.6f}"
    src16 = ffmpeg(src, work / f"{src.stem}-16k.wav", "-ar", "16000", "-ac", "1")
    return ffmpeg(src16, work / f"{src.stem}-pitch{semitones:+g}.wav", "-af", chain, "-ar", "16000")


def _has_rubberband() -> bool:
    out = subprocess.run(["ffmpeg", "-hide_banner", "-filters"], capture_output=True, text=True, timeout=30)
    return " rubberband " in out.stdout


def pitch_up_2(src: Path, work: Path) -> Path:
    return pitch_shifted(src, work, 2)


def pitch_down_2(src: Path, work: Path) -> Path:
    return pitch_shifted(src, work, -2)


def pitch_up_1(src: Path, work: Path) -> Path:
    return pitch_shifted(src, work, 1)


def pitch_down_1_5(src: Path, work: Path) -> Path:
    return pitch_shifted(src, work, -1.5)


AUDIO_TRANSFORMS = {
    "mp3_32k": to_mp3,
    "opus_16k": to_opus,
    "telephone_8k": to_telephone,
    "trim": trim,
    "noise_10db": noisy,
    "volume_minus_14db": quieter,
    "speed_plus_3pct": faster,
    "tempo_minus_4pct": slower_tempo,
    "pitch_plus_2_semitones": pitch_up_2,
    "pitch_minus_2_semitones": pitch_down_2,
    "pitch_plus_1_semitone": pitch_up_1,
    "pitch_minus_1.5_semitones": pitch_down_1_5,
}


# Images: synthetic "photos" with shapes, gradients and text, distinct per seed.
def photo(path: Path, *, seed: int, size: tuple[int, int] = (800, 600)) -> Path:
    """Draw a distinct, textured image and save it as PNG or JPEG by suffix."""
    rng = np.random.default_rng(seed)
    w, h = size
    y, x = np.mgrid[0:h, 0:w].astype(np.float32)
    base = np.stack(
        [
            127
            + 100
            * np.sin(x / rng.uniform(20, 120) + rng.uniform(0, 6))
            * np.cos(y / rng.uniform(20, 120) + rng.uniform(0, 6)),
            127 + 100 * np.sin((x + y) / rng.uniform(30, 150)),
            127 + 100 * np.cos((x - y) / rng.uniform(30, 150) + rng.uniform(0, 6)),
        ],
        axis=-1,
    )
    img = Image.fromarray(np.clip(base, 0, 255).astype(np.uint8))
    draw = ImageDraw.Draw(img)
    for _ in range(12):
        x0, y0 = int(rng.integers(0, w - 50)), int(rng.integers(0, h - 50))
        x1, y1 = x0 + int(rng.integers(40, 300)), y0 + int(rng.integers(40, 300))
        color = tuple(int(c) for c in rng.integers(0, 256, 3))
        if rng.random() < 0.5:
            draw.ellipse([x0, y0, x1, y1], fill=color)
        else:
            draw.rectangle([x0, y0, x1, y1], fill=color)
    draw.text((20, 20), f"Candidate {seed}", fill=(255, 255, 255))
    img = img.filter(ImageFilter.GaussianBlur(1))
    img.save(path)
    return path


def jpeg_low_quality(src: Path, work: Path) -> Path:
    out = work / f"{src.stem}-q30.jpg"
    Image.open(src).convert("RGB").save(out, quality=30)
    return out


def resized(src: Path, work: Path) -> Path:
    out = work / f"{src.stem}-small.jpg"
    img = Image.open(src).convert("RGB")
    img.resize((img.width // 2, img.height // 2)).save(out, quality=85)
    return out


def cropped(
    src: Path, work: Path, *, left: float = 0.05, top: float = 0.05, right: float = 0.05, bottom: float = 0.05
) -> Path:
    """Crop the given fractions off each edge (5% each by default)."""
    out = work / f"{src.stem}-crop-{left}-{top}-{right}-{bottom}.png"
    img = Image.open(src)
    w, h = img.width, img.height
    img.crop((round(w * left), round(h * top), round(w * (1 - right)), round(h * (1 - bottom)))).save(out)
    return out


def cropped_one_side(src: Path, work: Path) -> Path:
    """Crop 8% off the left edge only, as a re-framed screenshot does."""
    return cropped(src, work, left=0.08, top=0, right=0, bottom=0)


def brighter(src: Path, work: Path) -> Path:
    out = work / f"{src.stem}-bright.png"
    ImageEnhance.Brightness(Image.open(src).convert("RGB")).enhance(1.3).save(out)
    return out


IMAGE_TRANSFORMS = {
    "jpeg_q30": jpeg_low_quality,
    "resize_half": resized,
    "crop_5pct_each_edge": cropped,
    "brightness_plus_30pct": brighter,
}
# Measured in the benchmark, not promised: PDQ is weak against lopsided crops.
IMAGE_TRANSFORMS_HARD = {"crop_8pct_left_only": cropped_one_side}


def video_from_images(out: Path, images: list[Path], *, seconds_each: float = 2.0, fps: int = 10) -> Path:
    """Make an H.264 slideshow with slow zoom so frames differ over time."""
    args = ["ffmpeg", "-y", "-loglevel", "error"]
    for img in images:
        args += ["-loop", "1", "-framerate", str(fps), "-t", str(seconds_each), "-i", str(img)]
    filt = "".join(
        f"[{i}:v]scale=640:480,zoompan=z='1+0.002*on':d=1:s=640x480:fps={fps},setsar=1[v{i}];"
        for i in range(len(images))
    )
    filt += "".join(f"[v{i}]" for i in range(len(images))) + f"concat=n={len(images)}:v=1:a=0[out]"
    run(*args, "-filter_complex", filt, "-map", "[out]", "-c:v", "libx264", "-pix_fmt", "yuv420p", str(out))
    return out


# More distinct sentences for the benchmark's larger corpus (one sentence per clip there).
MORE_SENTENCES = [
    "The harbour authority reported that three cargo ships arrived late because of the storm.",
    "A new study suggests that children who read every evening sleep better at night.",
    "The orchestra will perform a free concert in the central park on Saturday afternoon.",
    "Police closed the main road after a lorry lost its load of apples near the roundabout.",
    "The university is looking for volunteers to test a new language learning application.",
    "Tickets for the museum exhibition sold out within an hour of going on sale.",
    "Engineers say the old railway tunnel needs urgent repairs before the winter season.",
    "The village bakery has won a national prize for its rye bread for the second time.",
    "Residents complained about noise from the construction site during the night shifts.",
    "The airline cancelled twelve flights this morning because of a strike by ground staff.",
    "Scientists discovered a rare species of frog in the mountains close to the border.",
    "The city council voted to plant ten thousand trees along the main avenues by next year.",
    "A fire in an empty warehouse was brought under control after three hours.",
    "The national team lost the final match after a penalty in the last minute.",
    "Water will be cut off in the western districts on Thursday for maintenance work.",
    "The festival attracted more visitors than ever, despite the cold and windy weather.",
    "Doctors recommend that older people get vaccinated against the flu before December.",
    "The chess champion defended her title in a long game that lasted almost seven hours.",
    "Fishermen say that catches have fallen sharply since the water became warmer.",
    "The government plans to connect every rural school to fast internet within two years.",
    "An elderly man found a wallet full of cash and handed it in at the police station.",
    "The zoo welcomed a baby elephant, the first born there in more than a decade.",
    "Shop owners in the old quarter are asking for more parking spaces for their customers.",
    "The bridge will be closed to traffic every night next week for safety inspections.",
    "A local startup has built a robot that sorts plastic waste faster than people can.",
    "Snow is expected in the hills tonight, and some schools may open later tomorrow.",
    "The library extended its opening hours during the exam period for students.",
    "Pensioners will receive their payments two days early because of the public holiday.",
    "Hundreds of cyclists took part in a charity ride from the coast to the capital.",
    "The theatre is staging a new version of a classic comedy with a young cast.",
    "A power cut left thousands of homes without electricity for most of the evening.",
    "The farmers market now accepts card payments at every stall, organisers said.",
    "Archaeologists uncovered the remains of a Roman villa under a car park.",
    "The hospital opened a new children's ward with brightly painted walls and a garden.",
    "Commuters faced long delays after a signal failure outside the central station.",
    "The cooking competition was won by a retired teacher with a recipe from her mother.",
    "Volunteers cleaned the beach and collected more than two tonnes of rubbish.",
    "The ministry warned citizens about fake text messages asking for bank details.",
    "A famous painter donated twenty works to the regional gallery this week.",
    "The ferry service to the islands will run every hour during the summer months.",
]


# Real photographs shipped inside scikit-image's wheel (no download), for the re-upload tests and
# benchmark. Each name is a distinct scene; stereo_motorcycle's right view and "cat" (a copy of
# chelsea) are left out because they would be near-duplicates of another entry.
REAL_PHOTOS = (
    "astronaut", "coffee", "chelsea", "rocket", "hubble_deep_field", "immunohistochemistry",
    "camera", "moon", "coins", "clock", "retina", "stereo_motorcycle", "brick", "grass", "gravel",
    "cell", "page", "text",
)  # fmt: skip


# The real photos the image re-upload tests bank, and those they expect to match nothing.
BANKED_REAL_PHOTOS = ("astronaut", "coffee", "rocket")
UNRELATED_REAL_PHOTOS = ("chelsea", "hubble_deep_field", "camera", "stereo_motorcycle")


def real_photo(name: str) -> Image.Image:
    """Return one of scikit-image's bundled photographs as an RGB image."""
    from skimage import data

    array = getattr(data, name)()
    if isinstance(array, tuple):  # stereo pairs
        array = array[0]
    img = Image.fromarray(np.asarray(array))
    return img.convert("RGB")


def real_photo_parts(name: str, path_stem: Path) -> list[Path]:
    """Save a bundled photo and, when it is large, its two halves as further distinct pictures."""
    img = real_photo(name)
    out = [path_stem.with_name(f"{path_stem.name}-{name}.png")]
    img.save(out[0])
    if min(img.size) >= 500:
        w, h = img.size
        halves = [(0, 0, w // 2, h), (w // 2, 0, w, h)] if w >= h else [(0, 0, w, h // 2), (0, h // 2, w, h)]
        for k, box in enumerate(halves):
            part = path_stem.with_name(f"{path_stem.name}-{name}-part{k}.png")
            img.crop(box).save(part)
            out.append(part)
    return out


def _font(size: int):
    from PIL import ImageFont

    try:
        return ImageFont.load_default(size=size)
    except TypeError:  # Pillow < 10.1 has one bitmap size
        return ImageFont.load_default()


def screenshot(
    src: Path,
    work: Path,
    *,
    width: int = 390,
    height: int = 844,
    dark: bool = False,
    margin: int = 0,
    seed: int = 0,
) -> Path:
    """Show the picture inside a drawn app screen: status bar, header, text, buttons, a feed below.

    width x height is the device's screen (a phone by default, a desktop browser when wider); the
    picture is scaled to the column's width minus margin on each side, as feeds show it.
    """
    rng = np.random.default_rng(seed)
    bg, fg, accent = (
        ((0, 0, 0), (235, 235, 235), (29, 155, 240))
        if dark
        else ((255, 255, 255), (20, 20, 20), (24, 119, 242))
    )
    screen = Image.new("RGB", (width, height), bg)
    draw = ImageDraw.Draw(screen)
    small, body, big = _font(12), _font(15), _font(20)  # interface text keeps its size on any screen
    # Status bar: time, signal bars, battery.
    draw.rectangle([0, 0, width, 44], fill=(245, 245, 245) if not dark else (18, 18, 18))
    draw.text((16, 12), "9:41", fill=fg, font=small)
    for k in range(4):
        draw.rectangle([width - 90 + 6 * k, 30 - 4 * k, width - 86 + 6 * k, 32], fill=fg)
    draw.rectangle([width - 50, 14, width - 20, 30], outline=fg, width=2)
    draw.rectangle([width - 48, 16, width - 30, 28], fill=fg)
    # Header: back arrow, title, menu dots; then the poster line with an avatar.
    draw.text((14, 56), "<", fill=accent, font=big)
    draw.text((width // 2 - 40, 58), "Posts", fill=fg, font=big)
    for k in range(3):
        draw.ellipse([width - 28 + 0, 60 + 8 * k, width - 24, 64 + 8 * k], fill=fg)
    draw.line([0, 96, width, 96], fill=(200, 200, 200), width=1)
    draw.ellipse([14, 106, 54, 146], fill=tuple(int(c) for c in rng.integers(60, 200, 3)))
    draw.text((64, 108), f"Concerned Citizen {int(rng.integers(10, 99))}", fill=fg, font=body)
    draw.text((64, 128), "@citizen · 2h", fill=(120, 120, 120), font=small)
    draw.text((14, 156), "You won't believe what happened at the rally!!", fill=fg, font=body)
    top = 184
    img = Image.open(src).convert("RGB")
    column = width - 2 * margin
    shown = img.resize((column, max(1, round(img.height * column / img.width))), Image.Resampling.BILINEAR)
    if top + shown.height > height - 120:  # too tall for the screen: the app scales it down
        scale = (height - 120 - top) / shown.height
        shown = img.resize((max(1, round(column * scale)), height - 120 - top), Image.Resampling.BILINEAR)
    x = (width - shown.width) // 2
    screen.paste(shown, (x, top))
    y = top + shown.height + 12
    # Action bar: like, comment, share buttons with counts; then the start of the next post.
    for k, label in enumerate(("Like 1.2k", "Comment 318", "Share")):
        bx = 14 + k * (width // 3)
        draw.rounded_rectangle([bx, y, bx + width // 3 - 24, y + 30], radius=12, outline=accent, width=2)
        draw.text((bx + 10, y + 7), label, fill=accent, font=small)
    draw.text((14, y + 46), "Reply to this post...", fill=(140, 140, 140), font=body)
    draw.rectangle([0, height - 56, width, height], fill=(245, 245, 245) if not dark else (18, 18, 18))
    for k in range(5):
        cx = (2 * k + 1) * width // 10
        draw.rectangle([cx - 10, height - 40, cx + 10, height - 20], outline=fg, width=2)
    out = work / f"{src.stem}-screen-{width}x{height}-{int(dark)}-{margin}.png"
    screen.save(out)
    return out


def screenshot_phone(src: Path, work: Path) -> Path:
    return screenshot(src, work)


def screenshot_phone_dark_small(src: Path, work: Path) -> Path:
    """A smaller, dark-mode phone screen, saved as JPEG as messengers forward screenshots."""
    png = screenshot(src, work, width=320, height=690, dark=True, seed=1)
    out = png.with_suffix(".jpg")
    Image.open(png).save(out, quality=80)
    return out


def screenshot_desktop(src: Path, work: Path) -> Path:
    """A desktop browser window: the picture in a centred column with wide margins."""
    return screenshot(src, work, width=1280, height=900, margin=360, seed=2)


def caption_band(src: Path, work: Path, *, below: bool = False) -> Path:
    """Add a white band with a black caption above (meme style) or below the picture."""
    img = Image.open(src).convert("RGB")
    band = max(40, img.height // 5)
    out_img = Image.new("RGB", (img.width, img.height + band), (255, 255, 255))
    out_img.paste(img, (0, 0 if below else band))
    draw = ImageDraw.Draw(out_img)
    y = img.height + band // 4 if below else band // 4
    draw.text(
        (img.width // 20, y),
        "BREAKING: what they don't want you to see",
        fill=(0, 0, 0),
        font=_font(max(12, band // 3)),
    )
    out = work / f"{src.stem}-caption-{'below' if below else 'above'}.jpg"
    out_img.save(out, quality=88)
    return out


def caption_below(src: Path, work: Path) -> Path:
    return caption_band(src, work, below=True)


def letterboxed(src: Path, work: Path) -> Path:
    """Put the picture on a black 16:9 (or 9:16) canvas, as video apps and some viewers do."""
    img = Image.open(src).convert("RGB")
    w, h = img.size
    canvas = (max(w, round(h * 16 / 9)) + 40, h + 40) if w >= h else (w + 40, max(h, round(w * 16 / 9)) + 40)
    out_img = Image.new("RGB", canvas, (0, 0, 0))
    out_img.paste(img, ((canvas[0] - w) // 2, (canvas[1] - h) // 2))
    out = work / f"{src.stem}-letterbox.png"
    out_img.save(out)
    return out


def mirrored(src: Path, work: Path) -> Path:
    out = work / f"{src.stem}-mirror.jpg"
    Image.open(src).convert("RGB").transpose(Image.Transpose.FLIP_LEFT_RIGHT).save(out, quality=90)
    return out


def mirrored_and_cropped(src: Path, work: Path) -> Path:
    img = Image.open(mirrored(src, work))
    w, h = img.size
    out = work / f"{src.stem}-mirror-crop.jpg"
    img.crop((round(w * 0.04), round(h * 0.04), round(w * 0.96), round(h * 0.96))).save(out, quality=90)
    return out


def cropped_left_15(src: Path, work: Path) -> Path:
    return cropped(src, work, left=0.15, top=0, right=0, bottom=0)


def cropped_top_20(src: Path, work: Path) -> Path:
    return cropped(src, work, left=0, top=0.2, right=0, bottom=0)


def cropped_uneven_12_3(src: Path, work: Path) -> Path:
    """12% off the left and the bottom, 3% off the top and the right."""
    return cropped(src, work, left=0.12, top=0.03, right=0.03, bottom=0.12)


def reencoded_webp(src: Path, work: Path) -> Path:
    out = work / f"{src.stem}-q50.webp"
    Image.open(src).convert("RGB").save(out, quality=50)
    return out


def resized_to_320(src: Path, work: Path) -> Path:
    img = Image.open(src).convert("RGB")
    out = work / f"{src.stem}-320.jpg"
    img.resize((320, max(1, round(img.height * 320 / img.width)))).save(out, quality=75)
    return out


# How images travel: screenshots in interfaces, caption bands, lopsided crops, mirrors, re-encoding.
IMAGE_REUPLOADS = {
    "screenshot_phone": screenshot_phone,
    "screenshot_phone_dark_small_jpeg": screenshot_phone_dark_small,
    "screenshot_desktop_browser": screenshot_desktop,
    "caption_band_above": caption_band,
    "caption_band_below": caption_below,
    "letterboxed": letterboxed,
    "mirrored": mirrored,
    "mirrored_cropped_4pct": mirrored_and_cropped,
    "crop_8pct_left_only": cropped_one_side,
    "crop_15pct_left_only": cropped_left_15,
    "crop_20pct_top_only": cropped_top_20,
    "crop_uneven_12_3_3_12": cropped_uneven_12_3,
    "webp_q50": reencoded_webp,
    "resize_320px_jpeg_q75": resized_to_320,
}
