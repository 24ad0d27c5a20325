import path from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const here = path.dirname(fileURLToPath(import.meta.url));

// The API server serves web/dist (or KELEI_WEB_DIST); `vite` alone proxies /api to a running `kelei serve`.
export default defineConfig({
  root: here,
  base: '/',
  plugins: [react()],
  build: {
    outDir: process.env.KELEI_WEB_DIST ?? path.join(here, 'dist'),
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
    rolldownOptions: {
      output: {
        // React and ECharts get chunks of their own that stay cached across releases of the app's code;
        // antd is left to the bundler so each page's components load with that page, not up front.
        codeSplitting: {
          groups: [
            { name: 'react', test: /node_modules[\\/](react|react-dom|scheduler|react-router)[\\/]/ },
            { name: 'echarts', test: /node_modules[\\/](echarts|zrender)[\\/]/ },
          ],
        },
      },
    },
  },
  server: { proxy: { '/api': 'http://127.0.0.1:8080' } },
});
