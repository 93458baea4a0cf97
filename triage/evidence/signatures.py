"""The default generator signatures, loaded into checks.GeneratorSignature by a data migration.

Sources: the text chunks each tool writes into its PNGs (AUTOMATIC1111's "parameters", ComfyUI's
"prompt"/"workflow", InvokeAI's "invokeai_metadata"/"sd-metadata"/"Dream", NovelAI's
"Software: NovelAI", Fooocus's "fooocus_scheme") and the Software/CreatorTool strings generators
stamp. Operators add and disable entries in the admin; this list only seeds an empty table.
"""

DEFAULT_SIGNATURES: list[dict] = [
    {
        "field": "png_text_key",
        "pattern": "parameters",
        "generator": "Stable Diffusion web UI (AUTOMATIC1111) or a fork",
    },
    {"field": "png_text_key", "pattern": "prompt", "generator": "ComfyUI"},
    {"field": "png_text_key", "pattern": "workflow", "generator": "ComfyUI"},
    {"field": "png_text_key", "pattern": "invokeai_metadata", "generator": "InvokeAI"},
    {"field": "png_text_key", "pattern": "sd-metadata", "generator": "InvokeAI"},
    {"field": "png_text_key", "pattern": "dream", "generator": "InvokeAI (legacy)"},
    {"field": "png_text_key", "pattern": "fooocus_scheme", "generator": "Fooocus"},
    {
        "field": "png_text_key",
        "pattern": "generation_data",
        "generator": "an image generator (generation_data)",
    },
    {"field": "png_text_value", "pattern": "NovelAI", "generator": "NovelAI"},
    {"field": "png_text_value", "pattern": "Stable Diffusion", "generator": "Stable Diffusion"},
    {"field": "png_text_value", "pattern": "Midjourney", "generator": "Midjourney"},
    {"field": "exif_software", "pattern": "Midjourney", "generator": "Midjourney"},
    {"field": "exif_software", "pattern": "DALL-E", "generator": "OpenAI DALL-E"},
    {"field": "exif_software", "pattern": "DALL·E", "generator": "OpenAI DALL-E"},
    {"field": "exif_software", "pattern": "Stable Diffusion", "generator": "Stable Diffusion"},
    {"field": "exif_software", "pattern": "NovelAI", "generator": "NovelAI"},
    {"field": "exif_software", "pattern": "Adobe Firefly", "generator": "Adobe Firefly"},
    {"field": "exif_software", "pattern": "Imagen", "generator": "Google Imagen"},
    {"field": "xmp_tool", "pattern": "Adobe Firefly", "generator": "Adobe Firefly"},
    {"field": "xmp_tool", "pattern": "Midjourney", "generator": "Midjourney"},
    {"field": "xmp_tool", "pattern": "DALL-E", "generator": "OpenAI DALL-E"},
    {"field": "xmp_tool", "pattern": "Stable Diffusion", "generator": "Stable Diffusion"},
]
