package main

import (
	"fmt"
	"image/color"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// writeChart draws records/s against the number of relationships, one line per way,
// both axes logarithmic, to a PNG file (gonum/plot: pure Go, no system libraries).
func writeChart(path string, rep *Report) error {
	p := plot.New()
	p.Title.Text = "Loading the same generated data five ways (records/s, both axes logarithmic)"
	p.X.Label.Text = "relationships in the dataset"
	p.Y.Label.Text = "records per second"
	p.X.Scale, p.Y.Scale = plot.LogScale{}, plot.LogScale{}
	p.X.Tick.Marker, p.Y.Tick.Marker = plot.LogTicks{Prec: -1}, plot.LogTicks{Prec: -1}
	p.Legend.Top, p.Legend.Left = true, true
	p.Legend.XOffs = vg.Points(10)
	colors := []color.Color{
		color.RGBA{R: 0x1f, G: 0x77, B: 0xb4, A: 0xff},
		color.RGBA{R: 0xd6, G: 0x27, B: 0x28, A: 0xff},
		color.RGBA{R: 0x2c, G: 0xa0, B: 0x2c, A: 0xff},
		color.RGBA{R: 0x98, G: 0xdf, B: 0x8a, A: 0xff},
		color.RGBA{R: 0x7f, G: 0x7f, B: 0x7f, A: 0xff},
	}
	for i, way := range ways {
		var pts plotter.XYs
		for _, r := range rep.Runs {
			if r.Way == way && r.RecordsPerSec > 0 { // 0: nothing committed within the cap
				pts = append(pts, plotter.XY{X: float64(r.Size), Y: r.RecordsPerSec})
			}
		}
		if len(pts) == 0 {
			continue
		}
		line, points, err := plotter.NewLinePoints(pts)
		if err != nil {
			return err
		}
		line.Color, points.Color = colors[i], colors[i]
		line.Width = vg.Points(2)
		points.Shape = draw.CircleGlyph{}
		if way == wayNaive || way == wayLoadCSVConcurrent {
			line.Dashes = []vg.Length{vg.Points(4), vg.Points(3)}
		}
		p.Add(line, points)
		p.Legend.Add(way, line, points)
	}
	if err := p.Save(8*vg.Inch, 5*vg.Inch, path); err != nil {
		return fmt.Errorf("chart: %w", err)
	}
	return nil
}
