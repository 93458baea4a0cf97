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


AUDIO_TRANSFORMS = {
    "mp3_32k": to_mp3,
    "opus_16k": to_opus,
    "telephone_8k": to_telephone,
    "trim": trim,
    "noise_10db": noisy,
    "volume_minus_14db": quieter,
    "speed_plus_3pct": faster,
    "tempo_minus_4pct": slower_tempo,
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
