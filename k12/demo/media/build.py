"""Build the demo lesson clips once: one per subject, committed beside this script.

Each clip is a Chinese title card (drawn with Pillow in Noto Sans CJK SC) with a Chinese narration spoken by
espeak-ng (voice ``cmn``), encoded twice: WebM (VP9 + Opus) and MP4 (H.264 baseline + AAC, for iPhones and
old Android phones), plus a JPEG poster (the title card) and WebVTT captions timed on the narration's
sentences. Every file stays far under 300 kB, so the repository carries them and seeding needs no encoder.

Run from the project root (needs ffmpeg, espeak-ng and fonts-noto-cjk on the machine)::

    .venv/bin/python k12/demo/media/build.py            # every subject
    .venv/bin/python k12/demo/media/build.py math art   # some subjects
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import wave
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

HERE = Path(__file__).resolve().parent
REFERENCE = HERE.parent.parent / "reference" / "k12.json"
FONT = "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"
FONT_SC = 2  # the face of the collection drawn with simplified-Chinese glyph shapes
WIDTH, HEIGHT = 640, 360
LIMIT = 300 * 1024

# Background colours per subject (and a default), dark enough for white text (contrast ≥ 4.5:1).
COLOURS = {
    "chinese": "#9b2c2c",
    "math": "#0b5cad",
    "english": "#2f6b3a",
    "physics": "#3d4a9e",
    "chemistry": "#7a3f8f",
    "biology": "#2e6b4f",
    "history": "#7a4a1e",
    "geography": "#1f6470",
    "morality-law": "#8a2d4f",
    "politics": "#8a2d4f",
}
DEFAULT_COLOUR = "#33475b"


def narration(subject: str) -> list[str]:
    """The sentences spoken (and captioned) in the clip of ``subject``."""
    return [
        f"同学们好，这里是{subject}微课。",
        "请打开课本，准备好笔记本。",
        "本视频为平台演示内容，由程序自动生成。",
    ]


def subjects() -> dict[str, str]:
    """Every subject of the reference data, and ``general``: the clip of resources that have no subject."""
    data = json.loads(REFERENCE.read_text(encoding="utf-8"))
    found: dict[str, str] = {"general": "专题教育"}
    for stage in data["stages"]:
        for subject in stage["subjects"]:
            found.setdefault(subject["code"], subject["name"])
    return found


def title_card(name: str, colour: str) -> Image.Image:
    card = Image.new("RGB", (WIDTH, HEIGHT), colour)
    draw = ImageDraw.Draw(card)
    big = ImageFont.truetype(FONT, 72, index=FONT_SC)
    small = ImageFont.truetype(FONT, 26, index=FONT_SC)
    draw.text((WIDTH / 2, HEIGHT / 2 - 20), f"{name}微课", font=big, fill="#ffffff", anchor="mm")
    draw.text(
        (WIDTH / 2, HEIGHT / 2 + 60), "国家智慧教育平台 · 演示", font=small, fill="#ffffff", anchor="mm"
    )
    draw.rectangle((0, HEIGHT - 12, WIDTH, HEIGHT), fill="#f0b400")
    return card


def speak(text: str, target: Path) -> float:
    """Synthesise ``text`` into the WAV ``target``; its length in seconds."""
    subprocess.run(["espeak-ng", "-v", "cmn", "-s", "150", "-w", str(target), text], check=True)
    with wave.open(str(target)) as audio:
        return audio.getnframes() / audio.getframerate()


def stamp(seconds: float) -> str:
    minutes, rest = divmod(seconds, 60)
    return f"00:{int(minutes):02d}:{rest:06.3f}"


def build(code: str, name: str) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        card = title_card(name, COLOURS.get(code, DEFAULT_COLOUR))
        card.save(work / "card.png")
        card.save(HERE / f"{code}.jpg", quality=80, optimize=True)
        cues, parts, start = [], [], 0.0
        for index, sentence in enumerate(narration(name)):
            part = work / f"{index}.wav"
            length = speak(sentence, part)
            cues.append((start, start + length, sentence))
            parts.append(part)
            start += length + 0.3
        (work / "parts.txt").write_text(
            "".join(f"file '{p}'\nfile '{work / 'gap.wav'}'\n" for p in parts), encoding="utf-8"
        )
        rate = 22050
        subprocess.run(
            [
                "ffmpeg",
                "-v",
                "error",
                "-y",
                "-f",
                "lavfi",
                "-i",
                f"anullsrc=r={rate}:cl=mono",
                "-t",
                "0.3",
                str(work / "gap.wav"),
            ],
            check=True,
        )
        subprocess.run(
            [
                "ffmpeg",
                "-v",
                "error",
                "-y",
                "-f",
                "concat",
                "-safe",
                "0",
                "-i",
                str(work / "parts.txt"),
                "-ar",
                str(rate),
                "-ac",
                "1",
                str(work / "voice.wav"),
            ],
            check=True,
        )
        video_in = [
            "-loop",
            "1",
            "-framerate",
            "5",
            "-i",
            str(work / "card.png"),
            "-i",
            str(work / "voice.wav"),
            "-t",
            f"{start:.2f}",
        ]
        subprocess.run(
            [
                "ffmpeg",
                "-v",
                "error",
                "-y",
                *video_in,
                "-c:v",
                "libvpx-vp9",
                "-b:v",
                "60k",
                "-pix_fmt",
                "yuv420p",
                "-c:a",
                "libopus",
                "-b:a",
                "24k",
                "-ac",
                "1",
                str(HERE / f"{code}.webm"),
            ],
            check=True,
        )
        subprocess.run(
            [
                "ffmpeg",
                "-v",
                "error",
                "-y",
                *video_in,
                "-c:v",
                "libx264",
                "-profile:v",
                "baseline",
                "-tune",
                "stillimage",
                "-crf",
                "30",
                "-pix_fmt",
                "yuv420p",
                "-c:a",
                "aac",
                "-b:a",
                "32k",
                "-ac",
                "1",
                "-movflags",
                "+faststart",
                str(HERE / f"{code}.mp4"),
            ],
            check=True,
        )
        vtt = ["WEBVTT", ""]
        for number, (first, last, text) in enumerate(cues, start=1):
            vtt += [str(number), f"{stamp(first)} --> {stamp(last)}", text, ""]
        (HERE / f"{code}.vtt").write_text("\n".join(vtt), encoding="utf-8")
    for suffix in ("webm", "mp4", "jpg", "vtt"):
        size = (HERE / f"{code}.{suffix}").stat().st_size
        if size >= LIMIT:
            raise SystemExit(f"{code}.{suffix} is {size} bytes, over the 300 kB limit")
    print(code, name, f"{start:.1f} s")  # noqa: T201 (a build script reports what it made)
    return start


def main(wanted: list[str]) -> None:
    index = HERE / "clips.json"
    clips = json.loads(index.read_text(encoding="utf-8")) if index.exists() else {}
    for code, name in subjects().items():
        if not wanted or code in wanted:
            clips[code] = {"title": f"{name}微课", "seconds": round(build(code, name))}
    index.write_text(json.dumps(clips, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1:])
