// The producer process: submits thumbnail jobs and exits. It runs no task itself.
import { backend } from "./backend.js";
import { makeThumbnail } from "./tasks.js";

const images = ["beach.jpg", "city.png", "forest.jpg", "watermark-logo.png", "harbour.jpg", "mountain.png"];
for (const image of images) await makeThumbnail.generate({ args: [image, 320] });
process.stdout.write(`${JSON.stringify({ producer: process.pid, submitted: images.length })}\n`);
await backend.close();
